package dev.redlock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.redlock.testkit.RedisServer;
import dev.redlock.testkit.RedisServersExtension;
import dev.redlock.testkit.SentinelGroup;
import dev.redlock.testkit.SentinelGroupExtension;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The seed's warning about replicas, shown on real servers: Redis replicates asynchronously, so a
 * Sentinel failover can promote a replica that never received the lock, and the lock is gone on
 * that node. With the group as the only node a second client then gets the same lock; with the
 * group as one of three independent nodes it cannot, because the two others still vote for the
 * first holder.
 *
 * <p>How the replica misses the write, deterministically: pausing it ({@code SIGSTOP},
 * {@code DEBUG SLEEP}) does not do, since on loopback the master's write reaches the replica's
 * socket buffer at once and is applied on resume. Instead the replication link is cut and kept
 * cut: the replica is given a wrong {@code masterauth} and the master drops its replica
 * connection ({@code CLIENT KILL TYPE replica}); the replica's reconnects then fail at
 * {@code AUTH}, as a replica cut off by a partition would. It still runs and answers the
 * sentinels, which promote it when the master dies: its link has been down for far less than the
 * ten {@code down-after-milliseconds} that would disqualify it. That is replication lag made
 * permanent, which is exactly what a lagging replica amounts to if the master dies at that
 * moment.
 */
class SentinelFailoverTests {

	private static final Duration GENEROUS = Duration.ofSeconds(30);

	private static final Duration TTL = Duration.ofSeconds(60);

	@RegisterExtension
	static final SentinelGroupExtension sentinels = SentinelGroupExtension.groups("failover");

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(2);

	private final List<Redlock> redlocks = new ArrayList<>();

	private final RedisClient client = RedisClient.create();

	@AfterEach
	void closeAll() {
		this.redlocks.forEach(Redlock::close);
		this.client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
	}

	@Test
	void aFailoverBeforeReplicationLosesTheLockOfAGroupAlone() {
		SentinelGroup group = sentinels.get(0);
		Redlock first = redlock(List.of(group.uri()), 0);
		cutOffReplica(group);
		Lock held = first.acquire("locks:failover", TTL);
		assertThat(get(group.master(), "locks:failover")).isEqualTo(held.value());
		assertThat(get(group.replica(), "locks:failover")).as("the replica missed the write").isNull();

		assertThat(group.failover()).isSameAs(group.replica());

		// The promoted replica never had the key: a second client gets the "same" lock.
		Redlock second = redlock(List.of(group.uri()), 0);
		Lock taken = await().atMost(GENEROUS)
			.until(() -> second.tryAcquire("locks:failover", TTL), Optional::isPresent)
			.orElseThrow();
		assertThat(get(group.currentMaster(), "locks:failover")).isEqualTo(taken.value());
		assertThat(held.isHeld()).as("the first holder still believes it holds the lock").isTrue();
		assertThat(held.remainingValidity()).isPositive();
		assertThat(taken.isHeld()).isTrue();
		assertThat(held.check()).as("asked, the node says the first holder lost it").isFalse();
	}

	@Test
	void withThreeIndependentNodesTheSameFailoverLeavesTheLockExclusive() {
		SentinelGroup group = sentinels.get(0);
		List<String> uris = uris(group);
		Redlock first = redlock(uris, 0);
		cutOffReplica(group);
		Lock held = first.acquire("locks:failover", TTL);
		await().atMost(GENEROUS).until(() -> held.value().equals(get(group.master(), "locks:failover"))
				&& held.value().equals(get(redis.get(0), "locks:failover"))
				&& held.value().equals(get(redis.get(1), "locks:failover")));
		assertThat(get(group.replica(), "locks:failover")).as("the replica missed the write").isNull();

		group.failover();
		assertThat(get(group.currentMaster(), "locks:failover")).as("the group lost the lock").isNull();

		// The group alone would grant it now, but a quorum needs one of the two others.
		Redlock second = redlock(uris, 0);
		await().atMost(GENEROUS).untilAsserted(() -> assertThatExceptionOfType(LockAcquisitionException.class)
			.isThrownBy(() -> second.acquire("locks:failover", TTL))
			.satisfies((ex) -> {
				assertThat(ex.reason()).isEqualTo(LockAcquisitionException.Reason.HELD_BY_ANOTHER_OWNER);
				AcquisitionAttempt attempt = ex.attempts().get(0);
				assertThat(attempt.votes().get(0).vote()).as("the failed-over group").isEqualTo(NodeVote.Vote.GRANTED);
				assertThat(attempt.count(NodeVote.Vote.REFUSED)).isEqualTo(2);
			}));
		assertThat(get(redis.get(0), "locks:failover")).isEqualTo(held.value());
		assertThat(get(redis.get(1), "locks:failover")).isEqualTo(held.value());

		// The holder keeps the lock through the other two, and the waiter keeps waiting.
		assertThat(held.extend(TTL).isHeld()).isTrue();
		assertThat(held.check()).isTrue();
		assertThatExceptionOfType(LockAcquisitionException.class)
			.isThrownBy(() -> second.acquire(List.of("locks:failover"), TTL, Duration.ofSeconds(1)))
			.satisfies((ex) -> assertThat(ex.isHeldByAnotherOwner()).isTrue());

		held.release();
		assertThat(second.acquire(List.of("locks:failover"), TTL, GENEROUS).isHeld()).isTrue();
	}

	@Test
	void contendedCriticalSectionsNeverOverlapAcrossAFailoverThatLosesTheLock() throws Exception {
		SentinelGroup group = sentinels.get(0);
		List<String> uris = uris(group);
		List<Redlock> clients = List.of(redlock(uris, -1), redlock(uris, -1), redlock(uris, -1));
		int threads = 6;
		AtomicBoolean stop = new AtomicBoolean();
		AtomicInteger inside = new AtomicInteger();
		AtomicInteger overlaps = new AtomicInteger();
		AtomicInteger completed = new AtomicInteger();
		// Read and written separately on purpose: overlapping holders would lose updates.
		AtomicInteger counter = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				Redlock client = clients.get(t % clients.size());
				done.add(pool.submit(() -> {
					while (!stop.get()) {
						try (Lock lock = client.acquire("locks:overlap", TTL)) {
							if (inside.incrementAndGet() != 1) {
								overlaps.incrementAndGet();
							}
							int read = counter.get();
							// Held for a while, so that the failover happens under a holder.
							Thread.sleep(5);
							counter.set(read + 1);
							inside.decrementAndGet();
						}
						completed.incrementAndGet();
					}
					return null;
				}));
			}
			await().atMost(GENEROUS).until(() -> completed.get() >= 20);
			cutOffReplica(group);
			int unreplicated = completed.get();
			await().atMost(GENEROUS).until(() -> completed.get() >= unreplicated + 20);
			group.failover();
			int afterFailover = completed.get();
			await().atMost(GENEROUS).until(() -> completed.get() >= afterFailover + 50);
			stop.set(true);
			for (Future<?> f : done) {
				f.get(GENEROUS.toSeconds(), TimeUnit.SECONDS);
			}
		}
		finally {
			stop.set(true);
			pool.shutdownNow();
		}
		assertThat(overlaps).hasValue(0);
		assertThat(counter).hasValue(completed.get());
	}

	/** The group first, then the two standalone masters. */
	private static List<String> uris(SentinelGroup group) {
		List<String> uris = new ArrayList<>();
		uris.add(group.uri());
		uris.addAll(redis.uris());
		return uris;
	}

	private Redlock redlock(List<String> uris, int retryCount) {
		Redlock redlock = Redlock.builder()
			.nodes(uris)
			.retryCount(retryCount)
			.retryDelay(Duration.ofMillis(20))
			.retryJitter(Duration.ofMillis(10))
			.commandTimeout(Duration.ofSeconds(1))
			.build();
		this.redlocks.add(redlock);
		return redlock;
	}

	/**
	 * Cuts the replication link for good (see the class comment) and waits until both ends see
	 * it cut, so that every later write stays on the master.
	 */
	private void cutOffReplica(SentinelGroup group) {
		call(group.replica(), (redis) -> redis.configSet("masterauth", "not-the-masters-password"));
		call(group.master(), (redis) -> redis.clientKill(KillArgs.Builder.typeSlave()));
		await().atMost(GENEROUS).until(() -> info(group.replica()).contains("master_link_status:down")
				&& info(group.master()).contains("connected_slaves:0"));
	}

	private String info(RedisServer server) {
		return call(server, (redis) -> redis.info("replication"));
	}

	private String get(RedisServer server, String key) {
		return call(server, (redis) -> redis.get(key));
	}

	private <T> T call(RedisServer server, java.util.function.Function<RedisCommands<String, String>, T> command) {
		try (StatefulRedisConnection<String, String> connection = this.client.connect(RedisURI.create(server.uri()))) {
			return command.apply(connection.sync());
		}
	}

}
