package dev.redlock;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.redlock.testkit.RedisServer;
import dev.redlock.testkit.SentinelGroup;
import dev.redlock.testkit.SentinelGroupExtension;
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
 * {@code replicaAcknowledgements}: a Sentinel-managed node counts a grant only once its replica
 * has the keys (WAIT), so a failover right after the grant keeps the lock.
 */
class ReplicaAcknowledgementTests {

	@RegisterExtension
	static final SentinelGroupExtension sentinels = SentinelGroupExtension.groups("acks");

	private static final Duration TTL = Duration.ofSeconds(30);

	private final RedisClient inspector = RedisClient.create();

	@AfterEach
	void close() {
		this.inspector.shutdown();
	}

	@Test
	void aGrantCountsOnceTheReplicaHasTheKey() {
		SentinelGroup group = sentinels.get(0);
		try (Redlock redlock = Redlock.builder().nodes(sentinels.uris()).replicaAcknowledgements(1).build()) {
			Lock lock = redlock.acquire("locks:acks", TTL);
			// No waiting here: WAIT returned only once the replica had it.
			assertThat(get(group.replica(), "locks:acks")).isEqualTo(lock.value());
			lock.release();
		}
	}

	@Test
	void aGrantTheReplicaDidNotAcknowledgeIsAFailedVoteAndIsUndone() {
		SentinelGroup group = sentinels.get(0);
		try (Redlock redlock = Redlock.builder()
			.nodes(sentinels.uris())
			.replicaAcknowledgements(1)
			.commandTimeout(Duration.ofMillis(300))
			.build()) {
			group.replica().pause();
			try {
				assertThatExceptionOfType(LockAcquisitionException.class).isThrownBy(() -> redlock.tryAcquire("locks:acks", TTL))
					.satisfies((ex) -> {
						assertThat(ex.reason()).isEqualTo(LockAcquisitionException.Reason.QUORUM_UNREACHABLE);
						assertThat(ex.getMessage()).contains("replicas acknowledged");
					});
			}
			finally {
				group.replica().resume();
			}
			await()
				.atMost(Duration.ofSeconds(30))
				.until(() -> get(group.currentMaster(), "locks:acks") == null);
		}
	}

	@Test
	void aLockAcknowledgedByTheReplicaSurvivesAFailover() {
		SentinelGroup group = sentinels.get(0);
		try (Redlock holder = Redlock.builder().nodes(sentinels.uris()).replicaAcknowledgements(1).build();
				Redlock other = Redlock.builder().nodes(sentinels.uris()).build()) {
			Lock lock = holder.acquire("locks:acks:failover", TTL);
			RedisServer promoted = group.failover();
			assertThat(get(promoted, "locks:acks:failover")).isEqualTo(lock.value());
			// Once the clients have followed the Sentinels to the new master, it refuses a second holder.
			await().atMost(Duration.ofSeconds(30))
				.ignoreException(LockAcquisitionException.class)
				.untilAsserted(() -> assertThat(other.tryAcquire("locks:acks:failover", TTL)).isEmpty());
			await().atMost(Duration.ofSeconds(30)).until(lock::check);
		}
	}

	/**
	 * A first attempt that would enter the key's waiting line where it loses (its Redlock
	 * already has a waiter in that line) still waits for the replica: with the replica paused,
	 * a key free on the master is no lock.
	 */
	@Test
	void aFirstAttemptBesideAWaiterInLineCountsOnlyOnceTheReplicaHasTheKey() throws Exception {
		SentinelGroup group = sentinels.get(0);
		String key = "locks:acks:line";
		try (Redlock holder = Redlock.builder().nodes(sentinels.uris()).build();
				Redlock redlock = Redlock.builder()
					.nodes(sentinels.uris())
					.replicaAcknowledgements(1)
					.commandTimeout(Duration.ofMillis(300))
					.retryDelay(Duration.ofSeconds(60))
					.build()) {
			Lock held = holder.acquire(key, TTL);
			CompletableFuture<Lock> inLine = redlock.acquireAsync(key, TTL).toCompletableFuture();
			await().atMost(Duration.ofSeconds(30)).until(() -> lineLength(group.currentMaster(), key) == 1);
			try (StatefulRedisConnection<String, String> master = this.inspector
				.connect(RedisURI.create(group.currentMaster().uri()))) {
				master.sync().del(key);
			}
			group.replica().pause();
			try {
				assertThatExceptionOfType(LockAcquisitionException.class)
					.isThrownBy(() -> redlock.acquire(key, TTL, Duration.ofSeconds(1)))
					.satisfies((ex) -> assertThat(ex.getMessage()).contains("replicas acknowledged"));
			}
			finally {
				group.replica().resume();
			}
			// Undone: nothing of the refused attempt is left on the master. The waiter in line was
			// not told (the key was freed by hand), and ends with the Redlock.
			await().atMost(Duration.ofSeconds(30)).until(() -> get(group.currentMaster(), key) == null);
			assertThat(inLine).isNotDone();
			held.release();
		}
	}

	@Test
	void aNegativeCountIsRefusedAtBuild() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> Redlock.builder().nodes(List.of("redis://127.0.0.1:1")).replicaAcknowledgements(-1).build())
			.withMessageContaining("replicaAcknowledgements");
	}

	private long lineLength(RedisServer server, String key) {
		try (StatefulRedisConnection<String, String> connection = this.inspector.connect(RedisURI.create(server.uri()))) {
			return connection.sync().llen("redlock:line:{" + key + "}");
		}
	}

	private String get(RedisServer server, String key) {
		try (StatefulRedisConnection<String, String> connection = this.inspector.connect(RedisURI.create(server.uri()))) {
			return connection.sync().get(key);
		}
	}

}
