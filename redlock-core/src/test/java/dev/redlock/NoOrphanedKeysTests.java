package dev.redlock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.redlock.testkit.FaultProxies;
import dev.redlock.testkit.FaultProxy;
import dev.redlock.testkit.RedisServersExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * No orphaned keys: whatever the network or the script cache does under contended
 * acquisitions, once every lock is released the nodes hold no key of this Redlock. The ttl is
 * long (60 s) and every check ends well before it, so expiry cannot hide an orphan.
 */
class NoOrphanedKeysTests {

	private static final Duration TTL = Duration.ofSeconds(60);

	/** Loops stop at this many attempts in all, or after {@link #LOOP_TIME}, whichever comes first. */
	private static final int ATTEMPTS = 200;

	private static final Duration LOOP_TIME = Duration.ofSeconds(20);

	/** How long the keys may take to go once the faults are healed: far less than the ttl. */
	private static final Duration SETTLE = Duration.ofSeconds(30);

	private static final int WORKERS = 4;

	/** Lettuce reconnects within a second (the back-off's cap); this allows for a slow machine. */
	private static final Duration GENEROUS_RECONNECT = Duration.ofSeconds(15);

	/** Overlapping sets, so attempts contend and split votes: refusals, partial grants, undos. */
	private static final List<List<String>> RESOURCES = List.of(List.of("locks:a", "locks:b"), List.of("locks:b", "locks:c"),
			List.of("locks:c", "locks:a", "locks:d"), List.of("locks:a"), List.of("locks:c"));

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private NodeInspector nodes;

	private ExecutorService pool;

	@BeforeEach
	void start() {
		this.nodes = new NodeInspector(redis.servers());
		this.pool = Executors.newFixedThreadPool(WORKERS + 1);
	}

	@AfterEach
	void stop() throws Exception {
		this.pool.shutdownNow();
		this.pool.awaitTermination(20, TimeUnit.SECONDS);
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
		this.nodes.close();
	}

	/**
	 * Pins the undo of failed attempts on every node that did not refuse (a dropped reply may
	 * hide a SET that landed), its retry until the keys expire, and the chaining of each
	 * node's release after that node's acquire; and that a release which meets a dropped
	 * connection still removes the key once the node is reachable again. Without any of them
	 * a key of a failed or released lock stays for the whole ttl.
	 */
	@Test
	void droppedConnectionsLeaveNoKeyOnceEveryLockIsReleased() throws Exception {
		FaultProxies proxies = FaultProxies.to(redis.servers());
		this.closeables.add(proxies);
		Redlock redlock = Redlock.builder()
			.nodes(proxies.uris())
			.retryCount(2)
			.retryDelay(Duration.ofMillis(10))
			.retryJitter(Duration.ofMillis(10))
			.commandTimeout(Duration.ofSeconds(1))
			.build();
		this.closeables.add(redlock);
		long loopStarted = System.nanoTime();
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicInteger dropped = new AtomicInteger();
		// One node at a time, each time once the Redlock has reconnected to the one dropped
		// before: drops land on commands in flight all through the loop, yet a quorum is
		// reachable most of the time, so locks are also won, extended and released.
		Future<?> dropper = this.pool.submit(() -> {
			while (running.get()) {
				FaultProxy proxy = proxies.get(ThreadLocalRandom.current().nextInt(proxies.size()));
				dropped.addAndGet(proxy.dropConnections());
				await().atMost(GENEROUS_RECONNECT).until(() -> !running.get() || proxy.connectionCount() > 0);
				pause(ThreadLocalRandom.current().nextInt(10, 60));
			}
			return null;
		});
		Outcomes outcomes = contend(redlock, running, loopStarted, false);
		running.set(false);
		dropper.get(20, TimeUnit.SECONDS);
		proxies.healAll();

		assertThat(dropped.get()).as("connections dropped during the loop").isPositive();
		assertThat(outcomes.acquired.get()).as("locks acquired during the loop: %s", outcomes).isPositive();
		awaitNoKeyLeft(loopStarted, outcomes);
		// And the Redlock still works through the proxies, keys included.
		long after = System.nanoTime();
		try (Lock lock = redlock.acquire(List.of("locks:a", "locks:b"), TTL)) {
			assertThat(lock.isHeld()).isTrue();
		}
		awaitNoKeyLeft(after, "the lock after the faults");
	}

	/**
	 * Pins the EVALSHA to EVAL fallback on NOSCRIPT for every script (acquire, extend,
	 * release), including a fallback that an undo or a later command is chained after: with
	 * the scripts flushed between attempts, releases must still delete every key, and
	 * multi-resource locks must keep being granted.
	 */
	@Test
	void scriptFlushesBetweenContendedAttemptsLeaveNoKeyAndLocksKeepWorking() throws Exception {
		Redlock redlock = Redlock.builder()
			.nodes(redis.uris())
			.retryCount(2)
			.retryDelay(Duration.ofMillis(10))
			.retryJitter(Duration.ofMillis(10))
			.commandTimeout(Duration.ofSeconds(2))
			.build();
		this.closeables.add(redlock);
		long started = System.nanoTime();

		// Deterministic first: each step meets an empty script cache.
		flushScripts();
		Lock held = redlock.acquire(List.of("locks:a", "locks:b"), TTL);
		flushScripts();
		assertThat(redlock.tryAcquire(List.of("locks:b", "locks:c"), TTL)).isEmpty();
		flushScripts();
		held.extend(TTL);
		flushScripts();
		held.release();
		awaitNoKeyLeft(started, "the deterministic steps");

		// Then contended, with a flush on every node between attempts.
		long loopStarted = System.nanoTime();
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicInteger flushes = new AtomicInteger();
		Future<?> flusher = this.pool.submit(() -> {
			while (running.get()) {
				flushScripts();
				flushes.incrementAndGet();
				pause(ThreadLocalRandom.current().nextInt(1, 20));
			}
			return null;
		});
		Outcomes outcomes = contend(redlock, running, loopStarted, true);
		running.set(false);
		flusher.get(20, TimeUnit.SECONDS);

		assertThat(flushes.get()).isPositive();
		assertThat(outcomes.acquired.get()).as("locks acquired during the loop: %s", outcomes).isPositive();
		awaitNoKeyLeft(loopStarted, outcomes);
		flushScripts();
		long after = System.nanoTime();
		try (Lock lock = redlock.acquire(List.of("locks:c", "locks:d"), TTL)) {
			await().atMost(SETTLE).until(() -> this.nodes.valuesOnRunningNodes("locks:d").stream().allMatch(lock.value()::equals));
			flushScripts();
		}
		awaitNoKeyLeft(after, "the lock after the flushes");
	}

	/** Counts of what the workers saw; failures are expected under faults, hangs are not. */
	private static final class Outcomes {

		final AtomicInteger attempts = new AtomicInteger();

		final AtomicInteger acquired = new AtomicInteger();

		final AtomicInteger failed = new AtomicInteger();

		/** The first few failures, to tell what went wrong when a loop acquires nothing. */
		final List<String> someFailures = new CopyOnWriteArrayList<>();

		void failed(String why) {
			if (this.failed.incrementAndGet() <= 3) {
				this.someFailures.add(why);
			}
		}

		@Override
		public String toString() {
			return "attempts " + this.attempts + ", acquired " + this.acquired + ", failed " + this.failed + " (first: "
					+ this.someFailures + ")";
		}

	}

	/**
	 * {@link #WORKERS} threads acquire and release overlapping single- and multi-resource
	 * locks, bounded by {@link #ATTEMPTS} in all and by {@link #LOOP_TIME}; each lock is
	 * released by the thread that got it before its next attempt.
	 */
	private Outcomes contend(Redlock redlock, AtomicBoolean running, long loopStarted, boolean extend) throws Exception {
		Outcomes outcomes = new Outcomes();
		long deadline = loopStarted + LOOP_TIME.toNanos();
		List<Future<?>> workers = new ArrayList<>();
		for (int w = 0; w < WORKERS; w++) {
			workers.add(this.pool.submit(() -> {
				while (running.get() && System.nanoTime() - deadline < 0 && outcomes.attempts.incrementAndGet() <= ATTEMPTS) {
					List<String> resources = RESOURCES.get(ThreadLocalRandom.current().nextInt(RESOURCES.size()));
					Optional<Lock> lock;
					String why = "held by another owner";
					try {
						lock = ThreadLocalRandom.current().nextBoolean() ? redlock.tryAcquire(resources, TTL)
								: Optional.of(redlock.acquire(resources, TTL));
					}
					catch (RedlockException ex) {
						lock = Optional.empty();
						why = ex.getMessage();
					}
					if (lock.isEmpty()) {
						outcomes.failed(why);
						continue;
					}
					outcomes.acquired.incrementAndGet();
					try {
						if (extend && ThreadLocalRandom.current().nextBoolean()) {
							lock.get().extend(TTL);
						}
					}
					catch (RedlockException ex) {
						// A failed extension still leaves the lock to release.
					}
					finally {
						lock.get().release();
					}
				}
				return null;
			}));
		}
		for (Future<?> worker : workers) {
			// Bounded: the loop's own bound, plus a command timeout per node and attempt at most.
			worker.get(LOOP_TIME.toSeconds() + 60, TimeUnit.SECONDS);
		}
		return outcomes;
	}

	/**
	 * Every lock is released: no key may be left, and the wait ends long before any key set
	 * since {@code keysSetSince} could have expired.
	 */
	private void awaitNoKeyLeft(long keysSetSince, Object outcomes) {
		await().atMost(SETTLE)
			.pollInterval(Duration.ofMillis(200))
			.untilAsserted(() -> assertThat(keysOnEveryNode()).as("keys left after %s", outcomes)
				.allSatisfy((node, keys) -> assertThat(keys).as("keys on %s", node).isEmpty()));
		assertThat(Duration.ofNanos(System.nanoTime() - keysSetSince)).as("no key could have expired by itself")
			.isLessThan(TTL);
	}

	private Map<String, List<String>> keysOnEveryNode() {
		Map<String, List<String>> keys = new TreeMap<>();
		for (int i = 0; i < redis.size(); i++) {
			keys.put(redis.get(i).uri(), this.nodes.keys(i));
		}
		return keys;
	}

	private void flushScripts() {
		for (int i = 0; i < redis.size(); i++) {
			this.nodes.scriptFlush(i);
		}
	}

	private static void pause(long millis) throws InterruptedException {
		Thread.sleep(millis);
	}

}
