package dev.redlock.spring.boot;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import dev.redlock.Lock;
import dev.redlock.Redlock;
import dev.redlock.testkit.RedisCluster;
import dev.redlock.testkit.RedisServer;
import dev.redlock.testkit.SentinelGroup;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code redlock.nodes} mixing a password-protected Redis Cluster and a Sentinel group with a
 * standalone master: the start-up line and the health indicator name each node by kind
 * (seeds, master name), never with its credentials, and locks work across them.
 */
class ClusterAndSentinelNodesTests {

	private static final String PASSWORD = "cluster-s3cret";

	private static RedisCluster cluster;

	private static SentinelGroup sentinels;

	private static RedisServer standalone;

	@BeforeAll
	static void start() {
		cluster = RedisCluster.builder().masters(3).args("--requirepass", PASSWORD, "--masterauth", PASSWORD).start();
		sentinels = SentinelGroup.start("orders");
		standalone = RedisServer.start();
	}

	@AfterAll
	static void stop() {
		cluster.close();
		sentinels.close();
		standalone.close();
	}

	@Test
	void namesClusterAndSentinelNodesByKindWithoutCredentials() {
		String clusterNode = cluster.uri().replace("redis-cluster://", "redis-cluster://:" + PASSWORD + "@");
		ApplicationContextRunner runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RedlockAutoConfiguration.class))
			.withConfiguration(BootLine.health())
			.withPropertyValues("redlock.nodes[0]=" + clusterNode, "redlock.nodes[1]=" + sentinels.uri(),
					"redlock.nodes[2]=" + standalone.uri());
		try (LogCapture logs = new LogCapture()) {
			runner.run((context) -> {
				assertThat(context).hasNotFailed();
				Redlock redlock = context.getBean(Redlock.class);
				assertThat(redlock.nodes().get(0)).startsWith("redis-cluster://127.0.0.1:").doesNotContain(PASSWORD);
				assertThat(redlock.nodes().get(1)).startsWith("redis-sentinel://127.0.0.1:").endsWith("/orders");
				assertThat(logs.logged(RedlockAutoConfiguration.class.getName(), Level.INFO, redlock.nodes().get(0))).isTrue();
				// Every kind votes once connected (a cluster first discovers its topology). A lock is
				// decided once a quorum granted, so the last grant may land just after acquire
				// returns (grantedBy tells only the nodes counted): each node's own key shows its vote.
				await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
					try (Lock lock = redlock.acquire("locks:kinds", Duration.ofSeconds(10))) {
						await().atMost(Duration.ofSeconds(10))
							.untilAsserted(() -> assertThat(keyOnEachKind()).as(() -> "a ping now: " + ping(redlock))
								.containsOnlyKeys("cluster", "sentinel", "standalone")
								.doesNotContainValue(null));
					}
				});
				HealthView health = BootLine.health(context);
				assertThat(health.status()).isEqualTo("UP");
				Map<String, Object> nodes = health.nodes();
				assertThat(nodes).containsOnlyKeys(redlock.nodes()).allSatisfy((node, state) -> assertThat(state).isEqualTo("up"));
			});
			assertThat(logs.events()).noneMatch((event) -> event.contains(PASSWORD));
		}
	}

	private static String ping(Redlock redlock) {
		try {
			return redlock.ping().toCompletableFuture().get(10, TimeUnit.SECONDS).toString();
		}
		catch (Exception ex) {
			return "no answer (" + ex + ")";
		}
	}

	/** The lock key's value on the cluster's owning master, the group's master and the standalone one. */
	private static Map<String, String> keyOnEachKind() {
		Map<String, String> values = new LinkedHashMap<>();
		values.put("cluster", valueOn(cluster.masterFor("locks:kinds"), PASSWORD));
		values.put("sentinel", valueOn(sentinels.currentMaster(), null));
		values.put("standalone", valueOn(standalone, null));
		return values;
	}

	private static String valueOn(RedisServer server, String password) {
		RedisURI.Builder uri = RedisURI.builder().withHost("127.0.0.1").withPort(server.port());
		if (password != null) {
			uri.withPassword(password.toCharArray());
		}
		RedisClient client = RedisClient.create();
		try (StatefulRedisConnection<String, String> connection = client.connect(uri.build())) {
			return connection.sync().get("locks:kinds");
		}
		finally {
			client.shutdown();
		}
	}

}
