package dev.redlock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * What every Redlock must do, run by the subclasses against 1, 3 and 5 standalone masters,
 * three Redis Clusters, and a mix of standalone masters and a Sentinel group. A node is a
 * {@link TestNode}: killing, pausing or restarting one takes the whole node down or back, and
 * its data is read where it lives. Timings are never asserted tightly: bounds are generous, so
 * a slow machine passes and a hang fails.
 */
abstract class RedlockContractTests {

	private static final Duration GENEROUS = Duration.ofSeconds(20);

	private final List<Redlock> redlocks = new ArrayList<>();

	private NodeInspector nodes;

	/** The nodes as they are for this test: the extensions may have replaced a broken one. */
	private List<TestNode> testNodes;

	abstract List<TestNode> nodes();

	@BeforeEach
	void inspect() {
		this.testNodes = nodes();
		this.nodes = new NodeInspector(this.testNodes);
	}

	@AfterEach
	void closeAll() {
		this.redlocks.forEach(Redlock::close);
		this.nodes.close();
	}

	private int size() {
		return this.testNodes.size();
	}

	private TestNode node(int index) {
		return this.testNodes.get(index);
	}

	private int quorum() {
		return size() / 2 + 1;
	}

	private Redlock redlock() {
		return redlock(Redlock.builder()
			.retryCount(3)
			.retryDelay(Duration.ofMillis(20))
			.retryJitter(Duration.ofMillis(10))
			.commandTimeout(Duration.ofSeconds(1)));
	}

	private Redlock redlock(RedlockBuilder builder) {
		Redlock redlock = builder.nodes(TestNode.uris(this.testNodes)).build();
		this.redlocks.add(redlock);
		return redlock;
	}

	/** Every running node holds {@code value} under {@code key}, soon. */
	private void awaitOnEveryNode(String key, String value) {
		await().atMost(GENEROUS).until(() -> this.nodes.valuesOnRunningNodes(key).stream().allMatch(value::equals));
	}

	@Test
	void storesTheTokenWithTheTtlOnEveryNode() {
		Lock lock = redlock().acquire("locks:token", Duration.ofSeconds(10));
		// Acquisition returns on a quorum; the rest of the nodes follow at once.
		awaitOnEveryNode("locks:token", lock.value());
		assertThat(lock.value()).hasSizeGreaterThanOrEqualTo(32);
		assertThat(lock.resources()).containsExactly("locks:token");
		assertThat(lock.isHeld()).isTrue();
		assertThat(lock.remainingValidity()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(10));
		for (int i = 0; i < size(); i++) {
			assertThat(this.nodes.get(i, "locks:token")).isEqualTo(lock.value());
			assertThat(this.nodes.pttl(i, "locks:token")).isBetween(1L, 10_000L);
		}
		lock.release();
		this.nodes.awaitEverywhere("locks:token", null);
		assertThat(lock.isHeld()).isFalse();
	}

	@Test
	void tokensAreUniquePerAcquisition() {
		Redlock redlock = redlock();
		String first;
		try (Lock lock = redlock.acquire("locks:unique", Duration.ofSeconds(5))) {
			first = lock.value();
		}
		try (Lock lock = redlock.acquire("locks:unique", Duration.ofSeconds(5))) {
			assertThat(lock.value()).isNotEqualTo(first);
		}
	}

	@Test
	void refusesASecondHolder() {
		Lock held = redlock().acquire("locks:refused", Duration.ofSeconds(10));
		awaitOnEveryNode("locks:refused", held.value());
		Redlock other = redlock();
		assertThat(other.tryAcquire("locks:refused", Duration.ofSeconds(10))).isEmpty();
		assertThatExceptionOfType(LockAcquisitionException.class)
			.isThrownBy(() -> other.acquire("locks:refused", Duration.ofSeconds(10)))
			.satisfies((ex) -> {
				assertThat(ex.reason()).isEqualTo(LockAcquisitionException.Reason.HELD_BY_ANOTHER_OWNER);
				assertThat(ex.isHeldByAnotherOwner()).isTrue();
				assertThat(ex.attemptCount()).isEqualTo(4);
				assertThat(ex.attempts()).hasSize(4).allSatisfy((attempt) -> {
					assertThat(attempt.votes()).hasSize(size());
					// A retry asks the key's designated node alone first: the others only once it granted.
					assertThat(attempt.count(NodeVote.Vote.REFUSED)).isPositive();
					assertThat(attempt.count(NodeVote.Vote.REFUSED) + attempt.count(NodeVote.Vote.NOT_ASKED)).isEqualTo(size());
				});
				assertThat(ex.attempts().get(0).count(NodeVote.Vote.REFUSED)).isEqualTo(size());
				assertThat(ex.getMessage()).contains("locks:refused", "held by another owner");
			});
		assertThat(this.nodes.valuesOnRunningNodes("locks:refused")).containsOnly(held.value());
	}

	@Test
	void tryAcquireMakesExactlyOneAttempt() {
		Lock held = redlock().acquire("locks:once", Duration.ofSeconds(10));
		awaitOnEveryNode("locks:once", held.value());
		long[] before = new long[size()];
		for (int i = 0; i < size(); i++) {
			before[i] = this.nodes.calls(i, "set");
		}
		assertThat(redlock().tryAcquire("locks:once", Duration.ofSeconds(10))).isEmpty();
		for (int i = 0; i < size(); i++) {
			assertThat(this.nodes.calls(i, "set") - before[i]).as("SETs on node %d", i).isEqualTo(1);
		}
	}

	@Test
	void tryAcquireReturnsTheLockWhenFree() {
		Optional<Lock> lock = redlock().tryAcquire("locks:free", Duration.ofSeconds(10));
		assertThat(lock).hasValueSatisfying((l) -> assertThat(l.isHeld()).isTrue());
	}

	@Test
	void locksSeveralResourcesAllOrNothing() {
		Redlock redlock = redlock();
		Lock b = redlock.acquire("locks:b", Duration.ofSeconds(10));
		awaitOnEveryNode("locks:b", b.value());
		assertThat(redlock.tryAcquire(List.of("locks:a", "locks:b"), Duration.ofSeconds(10))).isEmpty();
		this.nodes.awaitEverywhere("locks:a", null);
		b.release();

		Lock both = redlock.acquire(List.of("locks:a", "locks:b"), Duration.ofSeconds(10));
		assertThat(both.resources()).containsExactly("locks:a", "locks:b");
		awaitOnEveryNode("locks:a", both.value());
		awaitOnEveryNode("locks:b", both.value());
		both.release();
		this.nodes.awaitEverywhere("locks:a", null);
		this.nodes.awaitEverywhere("locks:b", null);
	}

	@Test
	void aNodeHoldingOneOfSeveralResourcesSetsNoneOfThem() {
		// A minority of nodes already hold "locks:y" for someone else: those nodes must set
		// neither key, and the lock still succeeds on the others when they are a quorum.
		int minority = size() - quorum();
		for (int i = 0; i < minority; i++) {
			this.nodes.set(i, "locks:y", "someone-else");
		}
		Lock lock = redlock().acquire(List.of("locks:x", "locks:y"), Duration.ofSeconds(10));
		for (int i = minority; i < size(); i++) {
			int node = i;
			await().atMost(GENEROUS).until(() -> lock.value().equals(this.nodes.get(node, "locks:x")));
		}
		for (int i = 0; i < size(); i++) {
			if (i < minority) {
				assertThat(this.nodes.get(i, "locks:x")).isNull();
				assertThat(this.nodes.get(i, "locks:y")).isEqualTo("someone-else");
			}
			else {
				assertThat(this.nodes.get(i, "locks:x")).isEqualTo(lock.value());
				assertThat(this.nodes.get(i, "locks:y")).isEqualTo(lock.value());
			}
		}
	}

	@Test
	void locksWithAMinorityOfNodesDown() {
		int minority = size() - quorum();
		for (int i = 0; i < minority; i++) {
			node(i).kill();
		}
		Lock lock = redlock().acquire("locks:minority", Duration.ofSeconds(10));
		assertThat(lock.isHeld()).isTrue();
		awaitOnEveryNode("locks:minority", lock.value());
		assertThat(this.nodes.valuesOnRunningNodes("locks:minority")).hasSize(quorum());
	}

	@Test
	void failsInBoundedTimeAndLeavesNoKeysWithAMajorityDown() {
		for (int i = 0; i < quorum(); i++) {
			node(i).kill();
		}
		long started = System.nanoTime();
		assertThatExceptionOfType(LockAcquisitionException.class)
			.isThrownBy(() -> redlock().acquire("locks:majority", Duration.ofSeconds(10)))
			.satisfies((ex) -> {
				assertThat(ex.reason()).isEqualTo(LockAcquisitionException.Reason.QUORUM_UNREACHABLE);
				assertThat(ex.attempts()).last()
					.satisfies((attempt) -> assertThat(attempt.count(NodeVote.Vote.FAILED)).isEqualTo(quorum()));
			});
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(GENEROUS);
		// The failure is reported without waiting for the undo, which then clears the nodes.
		await().atMost(GENEROUS).untilAsserted(() -> {
			for (int i = quorum(); i < size(); i++) {
				assertThat(this.nodes.keys(i)).isEmpty();
			}
		});
	}

	@Test
	void aPausedNodeCostsAtMostItsTimeout() {
		node(0).pause();
		Redlock redlock = redlock(Redlock.builder().retryCount(0).commandTimeout(Duration.ofMillis(300)));
		long started = System.nanoTime();
		if (size() == 1) {
			assertThatExceptionOfType(LockAcquisitionException.class)
				.isThrownBy(() -> redlock.acquire("locks:paused", Duration.ofSeconds(10)))
				.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(LockAcquisitionException.Reason.QUORUM_UNREACHABLE));
		}
		else {
			Lock lock = redlock.acquire("locks:paused", Duration.ofSeconds(10));
			assertThat(lock.isHeld()).isTrue();
			lock.release();
		}
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(GENEROUS);
	}

	@Test
	void aNodeThatDiesWhileConnectedCostsAFailedVoteNotAHang() {
		Redlock redlock = redlock();
		redlock.acquire("locks:warm-up", Duration.ofSeconds(10)).release();
		node(0).kill();
		long started = System.nanoTime();
		if (size() == 1) {
			assertThatExceptionOfType(LockAcquisitionException.class)
				.isThrownBy(() -> redlock.acquire("locks:died", Duration.ofSeconds(10)))
				.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(LockAcquisitionException.Reason.QUORUM_UNREACHABLE));
		}
		else {
			redlock.acquire("locks:died", Duration.ofSeconds(10)).release();
		}
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(GENEROUS);
	}

	@Test
	void aRestartedNodeVotesAgain() {
		Redlock redlock = redlock();
		redlock.acquire("locks:warm-up", Duration.ofSeconds(10)).release();
		node(0).kill();
		node(0).restart();
		// Until Lettuce has reconnected, a one-node Redlock cannot reach a quorum at all, and
		// the others do without the restarted node: keep trying until it holds the key too.
		await().atMost(GENEROUS).ignoreExceptions().untilAsserted(() -> {
			Optional<Lock> lock = redlock.tryAcquire("locks:restarted", Duration.ofSeconds(10));
			assertThat(lock).isPresent();
			try {
				await().atMost(Duration.ofSeconds(1))
					.until(() -> lock.get().value().equals(this.nodes.get(0, "locks:restarted")));
			}
			finally {
				lock.get().release();
			}
		});
	}

	@Test
	void aStaleHolderCanNeitherReleaseNorExtendTheNextHoldersLock() {
		Lock stale = redlock().acquire("locks:stale", Duration.ofMillis(300));
		await().atMost(GENEROUS).until(() -> !stale.isHeld()
				&& this.nodes.valuesOnRunningNodes("locks:stale").stream().allMatch(Objects::isNull));
		Lock next = redlock().acquire("locks:stale", Duration.ofSeconds(10));
		awaitOnEveryNode("locks:stale", next.value());

		assertThatExceptionOfType(LockExtensionException.class).isThrownBy(() -> stale.extend(Duration.ofSeconds(10)));
		stale.release();
		assertThat(this.nodes.valuesOnRunningNodes("locks:stale")).containsOnly(next.value());
		for (int i = 0; i < size(); i++) {
			assertThat(this.nodes.pttl(i, "locks:stale")).isGreaterThan(5_000L);
		}
	}

	@Test
	void aStaleHolderStillValidLocallyIsRefusedByTheNodes() {
		// The keys were taken over behind the holder's back (as after a node-side expiry):
		// the compare-the-token scripts must refuse the holder.
		Lock holder = redlock().acquire("locks:taken", Duration.ofSeconds(10));
		awaitOnEveryNode("locks:taken", holder.value());
		for (int i = 0; i < size(); i++) {
			this.nodes.set(i, "locks:taken", "new-owner");
		}
		// Decided as soon as a quorum refused: the nodes still answering count as not confirmed.
		assertThatExceptionOfType(LockExtensionException.class).isThrownBy(() -> holder.extend(Duration.ofSeconds(10)))
			.satisfies((ex) -> {
				assertThat(ex.votes()).extracting(NodeVote::vote).doesNotContain(NodeVote.Vote.GRANTED);
				assertThat(ex.votes()).filteredOn((vote) -> vote.vote() == NodeVote.Vote.REFUSED).hasSizeGreaterThanOrEqualTo(quorum());
			});
		assertThat(holder.isHeld()).as("refused by a quorum means lost").isFalse();
		holder.release();
		assertThat(this.nodes.valuesOnRunningNodes("locks:taken")).containsOnly("new-owner");
	}

	@Test
	void aTtlWithinTheDriftAllowanceNeverYieldsALock() {
		Redlock redlock = redlock();
		assertThatIllegalArgumentException().isThrownBy(() -> redlock.acquire("locks:drift", Duration.ofMillis(2)))
			.withMessageContaining("drift");
		assertThatIllegalArgumentException().isThrownBy(() -> redlock.acquire("locks:drift", Duration.ZERO))
			.withMessageContaining("ttl must be positive");
		for (int i = 0; i < size(); i++) {
			assertThat(this.nodes.keys(i)).isEmpty();
		}
	}

	@Test
	void extendingKeepsALockPastItsFirstTtl() {
		Lock lock = redlock().acquire("locks:extend", Duration.ofMillis(500));
		assertThat(lock.extend(Duration.ofSeconds(20))).isSameAs(lock);
		assertThat(lock.remainingValidity()).isGreaterThan(Duration.ofSeconds(10));
		// Returned once a quorum had it: the last node may still be extending.
		await().atMost(GENEROUS).untilAsserted(() -> {
			for (int i = 0; i < size(); i++) {
				assertThat(this.nodes.pttl(i, "locks:extend")).isGreaterThan(10_000L);
			}
		});
	}

	@Test
	void automaticExtensionKeepsALockWhileWorkRuns() throws Exception {
		Redlock redlock = redlock(Redlock.builder().automaticExtensionThreshold(Duration.ofMillis(200)));
		String value = redlock.using("locks:using", Duration.ofMillis(400), (handle) -> {
			Thread.sleep(1500);
			assertThat(handle.isHeld()).isTrue();
			handle.throwIfLost();
			// A quorum holds it, past its first ttl. (A node that missed an extension on a loaded
			// machine lets its copy expire: the lock stands on the others, which is the contract.)
			assertThat(this.nodes.valuesOnRunningNodes("locks:using")).filteredOn(handle.value()::equals)
				.hasSizeGreaterThanOrEqualTo(quorum());
			assertThat(handle.check()).isTrue();
			return handle.value();
		});
		assertThat(value).isNotNull();
		this.nodes.awaitEverywhere("locks:using", null);
	}

	@Test
	void theHolderIsToldWhenExtensionFailsBecauseAMajorityDied() {
		AtomicReference<RedlockException> lost = new AtomicReference<>();
		AtomicReference<LockHandle> reported = new AtomicReference<>();
		Redlock redlock = redlock(Redlock.builder()
			.automaticExtensionThreshold(Duration.ofMillis(300))
			.listener(new RedlockListener() {
				@Override
				public void onLockLost(LockHandle lock, RedlockException cause) {
					reported.set(lock);
				}
			}));
		boolean heldAtEnd = redlock.using("locks:lost", Duration.ofMillis(800), (handle) -> {
			handle.onLost(lost::set);
			for (int i = 0; i < quorum(); i++) {
				node(i).kill();
			}
			await().atMost(GENEROUS).until(() -> lost.get() != null);
			return handle.isHeld();
		});
		assertThat(heldAtEnd).isFalse();
		assertThat(lost.get()).isInstanceOf(LockExtensionException.class);
		assertThat(reported.get()).isNotNull();
	}

	@Test
	void manyClientsRacingForOneFreeLockYieldExactlyOneWinner() throws Exception {
		List<Redlock> clients = List.of(redlock(), redlock(), redlock(), redlock());
		int contenders = 24;
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(contenders);
		try {
			// Each keeps trying for 3 s; the winner keeps the lock, so nobody else may get it.
			List<Future<Boolean>> results = new ArrayList<>();
			for (int i = 0; i < contenders; i++) {
				Redlock client = clients.get(i % clients.size());
				results.add(pool.submit(() -> {
					start.await();
					try {
						client.acquire(List.of("locks:race"), Duration.ofSeconds(60), Duration.ofSeconds(3));
						return true;
					}
					catch (LockAcquisitionException ex) {
						return false;
					}
				}));
			}
			start.countDown();
			int winners = 0;
			for (Future<Boolean> result : results) {
				winners += result.get(GENEROUS.toSeconds(), TimeUnit.SECONDS) ? 1 : 0;
			}
			// One attempt each: the votes may split so that nobody has a majority (likelier on a
			// loaded machine), but two winners would break mutual exclusion.
			assertThat(winners).isLessThanOrEqualTo(1);
			if (winners == 0) {
				assertThat(clients.get(0).acquire(List.of("locks:race"), Duration.ofSeconds(30), GENEROUS).isHeld())
					.as("a split leaves the lock free for the next attempt")
					.isTrue();
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void contendedCriticalSectionsNeverOverlap() throws Exception {
		List<Redlock> clients = List.of(
				redlock(Redlock.builder().retryCount(-1).retryDelay(Duration.ofMillis(50))),
				redlock(Redlock.builder().retryCount(-1).retryDelay(Duration.ofMillis(50))),
				redlock(Redlock.builder().retryCount(-1).retryDelay(Duration.ofMillis(50))));
		int threads = 8;
		int perThread = 250;
		AtomicInteger inside = new AtomicInteger();
		AtomicInteger overlaps = new AtomicInteger();
		// Read and written separately on purpose: overlapping holders would lose updates.
		AtomicInteger counter = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				Redlock client = clients.get(t % clients.size());
				done.add(pool.submit(() -> {
					for (int i = 0; i < perThread; i++) {
						try (Lock lock = client.acquire("locks:overlap", Duration.ofSeconds(10))) {
							if (inside.incrementAndGet() != 1) {
								overlaps.incrementAndGet();
							}
							int read = counter.get();
							Thread.onSpinWait();
							counter.set(read + 1);
							inside.decrementAndGet();
						}
					}
					return null;
				}));
			}
			for (Future<?> f : done) {
				f.get(5, TimeUnit.MINUTES);
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(overlaps).hasValue(0);
		assertThat(counter).hasValue(threads * perThread);
	}

}
