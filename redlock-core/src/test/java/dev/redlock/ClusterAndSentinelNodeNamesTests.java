package dev.redlock;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.redlock.testkit.RedisServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What the listener is told about a cluster node and a Sentinel node names them plainly (kind,
 * seeds or sentinels, master name) and never shows their credentials. Both nodes are down, since
 * failures are what a listener hears, and where URIs and driver messages get printed.
 */
class ClusterAndSentinelNodeNamesTests {

	private static final String SECRET = "Cluster-Secret-9d41";

	@Test
	void theListenerNamesClusterAndSentinelNodesByKindSeedsAndMasterWithoutCredentials() {
		int seed1;
		int seed2;
		int sentinel;
		// Ports that were just free and now refuse: the nodes are down.
		try (RedisServer a = RedisServer.start(); RedisServer b = RedisServer.start(); RedisServer c = RedisServer.start()) {
			seed1 = a.port();
			seed2 = b.port();
			sentinel = c.port();
		}
		String clusterName = "redis-cluster://127.0.0.1:" + seed1 + ",127.0.0.1:" + seed2;
		Map<String, List<Throwable>> heard = new ConcurrentHashMap<>();
		List<String> identities = new CopyOnWriteArrayList<>();
		RedlockListener listener = new RedlockListener() {
			@Override
			public void onClientError(String node, Throwable error) {
				heard.computeIfAbsent(node, (n) -> new CopyOnWriteArrayList<>()).add(error);
			}

			@Override
			public void onNodeIdentityChanged(String node, String previousRunId, String runId) {
				identities.add(node);
			}
		};
		try (Redlock redlock = Redlock.builder()
			.nodes(List.of("redis-cluster://locker:" + SECRET + "@127.0.0.1:" + seed1 + ",127.0.0.1:" + seed2,
					"redis-sentinel://:" + SECRET + "@127.0.0.1:" + sentinel + "#mymaster"))
			.retryCount(0)
			.listener(listener)
			.build()) {
			assertThat(redlock.nodes()).hasSize(2);
			assertThat(redlock.nodes().get(0)).isEqualTo(clusterName);
			String sentinelName = redlock.nodes().get(1);
			assertThat(sentinelName).startsWith("redis-sentinel://127.0.0.1:" + sentinel).contains("mymaster");
			assertThat(redlock.toString()).doesNotContain(SECRET);

			assertThatExceptionOfType(LockAcquisitionException.class)
				.isThrownBy(() -> redlock.acquire("locks:named", Duration.ofSeconds(5)))
				.satisfies((ex) -> assertThat(LogCapture.printed(ex)).doesNotContain(SECRET)
					.contains(clusterName)
					.contains(sentinelName));
			await().atMost(Duration.ofSeconds(30)).until(() -> heard.keySet().containsAll(List.of(clusterName, sentinelName)));
			assertThat(heard.keySet()).containsExactlyInAnyOrder(clusterName, sentinelName);
			heard.values()
				.stream()
				.flatMap(List::stream)
				.forEach((error) -> assertThat(LogCapture.printed(error)).doesNotContain(SECRET));
			assertThat(identities).noneMatch((node) -> node.contains(SECRET));
		}
	}

	/**
	 * {@code rediss-cluster://} is a cluster reached over TLS, shown as such. Only the name is
	 * checked: no TLS cluster is started (see the class comment of {@code ClusterNodeTests}).
	 */
	@Test
	void aTlsClusterIsShownAsRedissClusterWithoutCredentials() {
		int seed;
		try (RedisServer a = RedisServer.start()) {
			seed = a.port();
		}
		try (Redlock redlock = Redlock.builder()
			.nodes(List.of("rediss-cluster://locker:" + SECRET + "@127.0.0.1:" + seed))
			.retryCount(0)
			.build()) {
			assertThat(redlock.nodes()).containsExactly("rediss-cluster://127.0.0.1:" + seed);
			assertThat(redlock.toString()).doesNotContain(SECRET);
		}
	}

}
