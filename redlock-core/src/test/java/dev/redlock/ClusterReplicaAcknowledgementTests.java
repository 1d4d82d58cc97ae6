package dev.redlock;

import java.time.Duration;

import dev.redlock.testkit.RedisCluster;
import dev.redlock.testkit.RedisClusterExtension;
import dev.redlock.testkit.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code replicaAcknowledgements} on a cluster node: WAIT goes to the master that owns the
 * key's slot, so the grant counts only once that master's replica has the key.
 */
class ClusterReplicaAcknowledgementTests {

	@RegisterExtension
	static final RedisClusterExtension clusters = RedisClusterExtension.clusters(1, 3, 1);

	private static final Duration TTL = Duration.ofSeconds(30);

	private final RedisClient inspector = RedisClient.create();

	@AfterEach
	void close() {
		this.inspector.shutdown();
	}

	@Test
	void aGrantCountsOnceTheOwningMastersReplicaHasTheKey() {
		RedisCluster cluster = clusters.get(0);
		String key = "locks:cluster:acks";
		try (Redlock redlock = Redlock.builder().nodes(clusters.uris()).replicaAcknowledgements(1).build()) {
			Lock lock = redlock.acquire(key, TTL);
			// No waiting here: WAIT returned only once the replica had it.
			assertThat(replicaRead(replicaOf(cluster, cluster.masterFor(key)), key)).isEqualTo(lock.value());
			lock.release();
		}
	}

	@Test
	void aGrantTheOwningMastersReplicaDidNotAcknowledgeIsAFailedVoteAndIsUndone() {
		RedisCluster cluster = clusters.get(0);
		String key = "locks:cluster:acks:paused";
		RedisServer master = cluster.masterFor(key);
		RedisServer replica = replicaOf(cluster, master);
		try (Redlock redlock = Redlock.builder()
			.nodes(clusters.uris())
			.replicaAcknowledgements(1)
			.commandTimeout(Duration.ofMillis(300))
			.build()) {
			// Connected first: the identification reads every member, the paused one included.
			redlock.acquire("locks:cluster:acks:warm-up", TTL).release();
			replica.pause();
			try {
				assertThatExceptionOfType(LockAcquisitionException.class).isThrownBy(() -> redlock.tryAcquire(key, TTL))
					.satisfies((ex) -> {
						assertThat(ex.reason()).isEqualTo(LockAcquisitionException.Reason.QUORUM_UNREACHABLE);
						assertThat(ex.getMessage()).contains("replicas acknowledged");
					});
			}
			finally {
				replica.resume();
			}
			await().atMost(TTL).until(() -> get(master, key) == null);
		}
	}

	/** The replica that follows {@code master}, as it says itself (ROLE). */
	private RedisServer replicaOf(RedisCluster cluster, RedisServer master) {
		return cluster.replicas().stream().filter((replica) -> {
			try (StatefulRedisConnection<String, String> c = connect(replica)) {
				return ((Number) c.sync().role().get(2)).intValue() == master.port();
			}
		}).findFirst().orElseThrow();
	}

	/** A read on the replica itself: READONLY, or it would redirect to its master. */
	private String replicaRead(RedisServer replica, String key) {
		try (StatefulRedisConnection<String, String> c = connect(replica)) {
			c.sync().readOnly();
			return c.sync().get(key);
		}
	}

	private String get(RedisServer server, String key) {
		try (StatefulRedisConnection<String, String> c = connect(server)) {
			return c.sync().get(key);
		}
	}

	private StatefulRedisConnection<String, String> connect(RedisServer server) {
		return this.inspector.connect(RedisURI.create(server.uri()));
	}

}
