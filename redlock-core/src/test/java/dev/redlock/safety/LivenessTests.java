package dev.redlock.safety;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.redlock.Lock;
import dev.redlock.LockAcquisitionException;
import dev.redlock.NodeInspector;
import dev.redlock.Redlock;
import dev.redlock.RedlockBuilder;
import dev.redlock.testkit.FaultProxies;
import dev.redlock.testkit.RedisServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

/**
 * Liveness around failures, on five nodes behind fault proxies: with a minority down or cut
 * off, locks are still acquired; with a majority gone, every call fails in bounded time; once
 * healed, locks are acquirable again and no key outlives its ttl.
 */
class LivenessTests {

	private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(250);

	private static final Duration TTL = Duration.ofSeconds(2);

	private static final Duration MAX_WAIT = Duration.ofSeconds(1);

	/** Room for a loaded machine on top of every bound asserted here; a hang still fails. */
	private static final Duration MARGIN = Duration.ofSeconds(5);

	private static final Duration GENEROUS = Duration.ofSeconds(30);

	private final List<Redlock> redlocks = new ArrayList<>();

	private RedisServers servers;

	private FaultProxies proxies;

	private NodeInspector nodes;

	@BeforeEach
	void start() {
		this.servers = RedisServers.start(5);
		this.proxies = FaultProxies.to(this.servers);
		this.nodes = new NodeInspector(this.servers);
	}

	@AfterEach
	void stop() {
		this.redlocks.forEach(Redlock::close);
		this.nodes.close();
		this.proxies.close();
		this.servers.close();
	}

	@Test
	void locksAreAcquiredWithAMinorityDownAndBlackholed() {
		Redlock first = redlock(Redlock.builder());
		Redlock second = redlock(Redlock.builder());
		this.servers.get(0).kill();
		this.proxies.get(1).blackhole();
		for (int i = 0; i < 20; i++) {
			Redlock client = (i % 2 == 0) ? first : second;
			Lock lock = within(MAX_WAIT.plus(COMMAND_TIMEOUT).plus(MARGIN),
					() -> client.acquire(List.of("locks:minority"), TTL, MAX_WAIT));
			assertThat(lock.isHeld()).isTrue();
			lock.release();
		}
	}

	@Test
	void withAMajorityDownEveryCallFailsWithinTheWaitAndOneTimeout() {
		Redlock redlock = redlock(Redlock.builder().retryCount(3).retryDelay(Duration.ofMillis(100)));
		for (int i = 0; i < 3; i++) {
			this.servers.get(i).kill();
		}
		assertEveryCallFailsInBoundedTime(redlock);
		heal();
		assertAcquirableAndNoKeyOutlivesItsTtl(redlock);
	}

	@Test
	void withAMajorityBlackholedEveryCallFailsWithinTheWaitAndOneTimeout() {
		Redlock redlock = redlock(Redlock.builder().retryCount(3).retryDelay(Duration.ofMillis(100)));
		for (int i = 2; i < 5; i++) {
			this.proxies.get(i).blackhole();
		}
		assertEveryCallFailsInBoundedTime(redlock);
		heal();
		assertAcquirableAndNoKeyOutlivesItsTtl(redlock);
	}

	@Test
	void withAMajorityPausedEveryCallFailsWithinTheWaitAndOneTimeout() {
		Redlock redlock = redlock(Redlock.builder().retryCount(3).retryDelay(Duration.ofMillis(100)));
		for (int i = 1; i < 4; i++) {
			this.servers.get(i).pause();
		}
		assertEveryCallFailsInBoundedTime(redlock);
		heal();
		assertAcquirableAndNoKeyOutlivesItsTtl(redlock);
	}

	@Test
	void closingNeverHangsWhileWaitersAreSubscribing() {
		Lock held = redlock(Redlock.builder()).acquire("locks:closing", Duration.ofSeconds(30));
		for (int i = 0; i < 20; i++) {
			Redlock waiter = Redlock.builder().nodes(this.proxies.uris()).commandTimeout(COMMAND_TIMEOUT).build();
			// A waiter subscribes to release notifications on every node; closing races with that.
			CompletableFuture<Lock> waiting = waiter
				.acquireAsync(List.of("locks:closing"), TTL, Duration.ofSeconds(10))
				.toCompletableFuture();
			assertTimeoutPreemptively(GENEROUS, waiter::close);
			await().atMost(GENEROUS).until(waiting::isDone);
			assertThat(waiting).isCompletedExceptionally();
		}
		assertThat(held.isHeld()).isTrue();
	}

	private void assertEveryCallFailsInBoundedTime(Redlock redlock) {
		Duration bound = MAX_WAIT.plus(COMMAND_TIMEOUT).plus(MARGIN);
		for (int i = 0; i < 3; i++) {
			assertFailsWithin(bound, () -> redlock.acquire(List.of("locks:majority"), TTL, MAX_WAIT));
			assertFailsWithin(COMMAND_TIMEOUT.plus(MARGIN), () -> redlock.acquire(List.of("locks:majority"), TTL, Duration.ZERO));
			assertFailsWithin(COMMAND_TIMEOUT.plus(MARGIN), () -> redlock.tryAcquire("locks:majority", TTL));
			// With a retry count instead of a wait: 4 attempts, each at most a timeout, 3 delays.
			assertFailsWithin(Duration.ofMillis(4 * COMMAND_TIMEOUT.toMillis() + 3 * 200).plus(MARGIN),
					() -> redlock.acquire("locks:majority", TTL));
			assertFailsWithin(bound,
					() -> redlock.acquireAsync(List.of("locks:majority"), TTL, MAX_WAIT).toCompletableFuture().join());
		}
	}

	private void assertFailsWithin(Duration bound, Supplier<?> call) {
		long started = System.nanoTime();
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> within(bound, call))
			.satisfies((ex) -> {
				Throwable cause = (ex instanceof java.util.concurrent.CompletionException) ? ex.getCause() : ex;
				assertThat(cause).isInstanceOf(LockAcquisitionException.class);
				assertThat(((LockAcquisitionException) cause).reason())
					.isEqualTo(LockAcquisitionException.Reason.QUORUM_UNREACHABLE);
			});
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(bound);
	}

	private void heal() {
		this.proxies.healAll();
		this.servers.healAll();
	}

	/** After healing: acquirable again, and every key left by the failed calls expires with its ttl. */
	private void assertAcquirableAndNoKeyOutlivesItsTtl(Redlock redlock) {
		Lock lock = redlock.acquire(List.of("locks:majority"), TTL, GENEROUS);
		assertThat(lock.isHeld()).isTrue();
		lock.release();
		for (int i = 0; i < this.servers.size(); i++) {
			for (String key : this.nodes.keys(i)) {
				// -1 would be a key without expiry: one that would outlive every ttl.
				assertThat(this.nodes.pttl(i, key)).as("ttl of %s on node %d", key, i)
					.isNotEqualTo(-1L)
					.isLessThanOrEqualTo(TTL.toMillis());
			}
		}
		await().atMost(TTL.plus(MARGIN).plus(MARGIN)).untilAsserted(() -> {
			for (int i = 0; i < this.servers.size(); i++) {
				assertThat(this.nodes.keys(i)).as("keys on node %d", i).isEmpty();
			}
		});
		Optional<Lock> again = redlock.tryAcquire("locks:majority", TTL);
		assertThat(again).isPresent();
		again.get().release();
	}

	private static <T> T within(Duration bound, Supplier<T> call) {
		return assertTimeoutPreemptively(bound.plus(MARGIN), call::get);
	}

	private Redlock redlock(RedlockBuilder builder) {
		Redlock redlock = builder.nodes(this.proxies.uris()).commandTimeout(COMMAND_TIMEOUT).build();
		this.redlocks.add(redlock);
		return redlock;
	}

}
