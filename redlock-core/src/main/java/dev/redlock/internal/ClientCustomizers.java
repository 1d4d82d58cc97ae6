package dev.redlock.internal;

import java.util.Objects;
import java.util.function.Consumer;

import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;

/**
 * What adjusts the Lettuce clients a Redlock creates, after its own defaults: one for the
 * clients of standalone and Sentinel nodes, one for those of cluster nodes, whose options are
 * of another type. Clients the user gave are left as they are.
 *
 * @param standalone applied to every {@link RedisClient} created
 * @param cluster applied to every {@link RedisClusterClient} created
 */
public record ClientCustomizers(Consumer<RedisClient> standalone, Consumer<RedisClusterClient> cluster) {

	public ClientCustomizers {
		Objects.requireNonNull(standalone, "standalone");
		Objects.requireNonNull(cluster, "cluster");
	}

}
