package dev.redlock.spring.boot;

import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;

/**
 * Adjusts every Lettuce {@link RedisClient} that the auto-configured
 * {@link dev.redlock.Redlock} creates, one per node, after Redlock's own defaults: declare a
 * bean to set client options without replacing the Redlock bean. The clients of
 * {@code redis-cluster://} nodes are {@link RedisClusterClient}s, whose options are of
 * another type: override {@link #customize(RedisClusterClient)} to adjust them too.
 *
 * <pre>{@code
 * @Bean
 * RedlockClientCustomizer redlockTrustStore() {
 *     return (client) -> client.setOptions(client.getOptions().mutate()
 *             .sslOptions(SslOptions.builder().truststore(new File("/etc/redis/ca.jks"), "changeit").build())
 *             .build());
 * }
 * }</pre>
 *
 * Mutate the client's options rather than replacing them, to keep Redlock's own, such as
 * failing fast on a disconnected node. Customizers run in
 * {@link org.springframework.core.annotation.Order} order.
 */
@FunctionalInterface
public interface RedlockClientCustomizer {

	/**
	 * Customizes the client of one node.
	 * @param client the client, not yet connected
	 */
	void customize(RedisClient client);

	/**
	 * Customizes the client of one cluster node; does nothing unless overridden. Start from
	 * {@code ((ClusterClientOptions) client.getOptions()).mutate()} to keep Redlock's own
	 * options.
	 * @param client the client, not yet connected
	 */
	default void customize(RedisClusterClient client) {
	}

}
