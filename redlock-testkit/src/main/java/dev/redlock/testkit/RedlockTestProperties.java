package dev.redlock.testkit;

import java.util.List;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Points a Spring test's {@code redlock.nodes} at real Redis servers of this testkit, from a
 * {@code @DynamicPropertySource} method.
 *
 * <pre>{@code
 * @SpringBootTest
 * class BookingTests {
 *     @RegisterExtension
 *     static final RedisServersExtension redis = RedisServersExtension.nodes(3);
 *
 *     @DynamicPropertySource
 *     static void redlockNodes(DynamicPropertyRegistry registry) {
 *         RedlockTestProperties.register(registry, redis);
 *     }
 *     ...
 * }
 * }</pre>
 *
 * <p>Each node is registered as an element of its own, {@code redlock.nodes[0]},
 * {@code redlock.nodes[1]} and so on, never as one comma-separated value: a Redis Cluster node
 * ({@code redis-cluster://host:port,host:port}) has commas of its own. The list replaces any
 * {@code redlock.nodes} of the application's configuration, as a list from a property source
 * of higher precedence does.
 *
 * <p>Needs {@code spring-test} on the test class path, as any {@code @SpringBootTest} has it;
 * the testkit declares it optional.
 */
public final class RedlockTestProperties {

	/** The property the starter reads its nodes from. */
	public static final String NODES = "redlock.nodes";

	private RedlockTestProperties() {
	}

	/**
	 * Registers the servers of an extension as {@code redlock.nodes}. Register the extension on
	 * a {@code static} field, so its servers run before Spring builds the test's context.
	 *
	 * @param registry the registry a {@code @DynamicPropertySource} method receives
	 * @param servers the extension whose servers the application locks on
	 * @throws IllegalStateException if the extension's servers are not started
	 */
	public static void register(DynamicPropertyRegistry registry, RedisServersExtension servers) {
		register(registry, servers.servers());
	}

	/**
	 * Registers a group of servers as {@code redlock.nodes}.
	 *
	 * @param registry the registry a {@code @DynamicPropertySource} method receives
	 * @param servers the servers the application locks on, in order
	 */
	public static void register(DynamicPropertyRegistry registry, RedisServers servers) {
		register(registry, servers.uris());
	}

	/**
	 * Registers any nodes as {@code redlock.nodes}: single servers, {@link RedisCluster}s,
	 * {@link SentinelGroup}s or {@link FaultProxy} addresses, mixed as a Redlock allows.
	 *
	 * @param registry the registry a {@code @DynamicPropertySource} method receives
	 * @param uris the nodes' URIs, in order, at least one
	 * @throws IllegalArgumentException if {@code uris} is empty
	 */
	public static void register(DynamicPropertyRegistry registry, List<String> uris) {
		if (uris.isEmpty()) {
			throw new IllegalArgumentException("Need at least one node URI for " + NODES);
		}
		List<String> nodes = List.copyOf(uris);
		for (int i = 0; i < nodes.size(); i++) {
			String uri = nodes.get(i);
			registry.add(NODES + "[" + i + "]", () -> uri);
		}
	}
}
