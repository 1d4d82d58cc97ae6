package dev.redlock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.redlock.internal.FenceKeys;
import dev.redlock.testkit.RedisServersExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/** Fencing tokens: strictly increasing per resource, from counters on the nodes, asked for lazily. */
class FencingTokenTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private static final Duration GENEROUS = Duration.ofSeconds(30);

	private final List<Redlock> redlocks = new ArrayList<>();

	private NodeInspector nodes;

	@BeforeEach
	void start() {
		for (int i = 0; i < 3; i++) {
			this.redlocks.add(Redlock.builder().nodes(redis.uris()).retryDelay(Duration.ofMillis(20)).build());
		}
		this.nodes = new NodeInspector(redis.servers());
	}

	@AfterEach
	void stop() {
		this.redlocks.forEach(Redlock::close);
		this.nodes.close();
	}

	@Test
	void successiveHoldersGetStrictlyIncreasingTokensWhicheverRedlockTheyUse() {
		long previous = 0;
		for (int i = 0; i < 30; i++) {
			try (Lock lock = this.redlocks.get(i % 3).acquire("locks:fenced", Duration.ofSeconds(10))) {
				long token = lock.fencingToken();
				assertThat(token).as("token %d", i).isGreaterThan(previous);
				assertThat(lock.fencingToken()).as("asked again").isEqualTo(token);
				previous = token;
			}
		}
	}

	@Test
	void concurrentAcquirersGetStrictlyIncreasingTokensInTheOrderTheyHeldTheLock() throws Exception {
		List<Long> inHoldingOrder = new ArrayList<>();
		List<CompletableFuture<Void>> workers = new ArrayList<>();
		for (Redlock redlock : this.redlocks) {
			workers.add(CompletableFuture.runAsync(() -> {
				for (int i = 0; i < 15; i++) {
					try (Lock lock = redlock.acquire(List.of("locks:contended"), Duration.ofSeconds(20), GENEROUS)) {
						long token = lock.fencingToken();
						synchronized (inHoldingOrder) {
							inHoldingOrder.add(token);
						}
					}
				}
			}));
		}
		CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
		assertThat(inHoldingOrder).hasSize(45).isSortedAccordingTo(Long::compare).doesNotHaveDuplicates();
	}

	@Test
	void theAsynchronousTokenIsTheSameAndCompletesOffTheIoThreads() throws Exception {
		try (Lock lock = this.redlocks.get(0).acquire("locks:fenced-async", Duration.ofSeconds(10))) {
			CompletableFuture<String> thread = lock.fencingTokenAsync("locks:fenced-async")
				.thenApply((token) -> Thread.currentThread().getName())
				.toCompletableFuture();
			assertThat(thread.get(30, TimeUnit.SECONDS)).doesNotContain("lettuce", "nioEventLoop", "epollEventLoop",
					"redlock-timeout");
			assertThat(lock.fencingTokenAsync("locks:fenced-async").toCompletableFuture().get(30, TimeUnit.SECONDS))
				.isEqualTo(lock.fencingToken());
		}
	}

	@Test
	void aLockWhoseTokenIsNeverAskedForWritesNoCounter() {
		this.redlocks.get(0).acquire("locks:unfenced", Duration.ofSeconds(10)).release();
		for (int i = 0; i < redis.size(); i++) {
			int node = i;
			// A release returns once a quorum has answered: the last node may still be deleting.
			await().atMost(GENEROUS).untilAsserted(() -> assertThat(this.nodes.keys(node)).as("keys on node %d", node).isEmpty());
		}
	}

	@Test
	void theCounterLivesUnderItsDocumentedKeyWithADayToLiveAndCanBeRead() {
		Redlock redlock = this.redlocks.get(0);
		assertThat(redlock.fencingCounter("locks:audited")).as("never fenced").isZero();
		long token;
		try (Lock lock = redlock.acquire("locks:audited", Duration.ofSeconds(10))) {
			token = lock.fencingToken();
		}
		String key = Redlock.fencingCounterKey("locks:audited");
		assertThat(key).isEqualTo("redlock:fence:{locks:audited}");
		for (int i = 0; i < redis.size(); i++) {
			int node = i;
			// A node that answered after the quorum may have raised its counter past the token.
			await().atMost(GENEROUS).untilAsserted(() -> assertThat(this.nodes.get(node, key)).isNotNull()
				.satisfies((value) -> assertThat(Long.parseLong(value)).isGreaterThanOrEqualTo(token)));
			assertThat(this.nodes.pttl(i, key)).isBetween(TimeUnit.HOURS.toMillis(23), TimeUnit.HOURS.toMillis(24));
		}
		assertThat(redlock.fencingCounter("locks:audited")).isGreaterThanOrEqualTo(token);
		// A microsecond clock floor: tokens are far above a plain count.
		assertThat(token).isGreaterThan(TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis()) - TimeUnit.MINUTES.toMicros(10));
	}

	@Test
	void aMultiResourceLockHasATokenPerResource() {
		Redlock redlock = this.redlocks.get(0);
		long before;
		try (Lock lock = redlock.acquire("locks:{user:7}:cart", Duration.ofSeconds(10))) {
			before = lock.fencingToken();
		}
		try (Lock lock = redlock.acquire(List.of("locks:{user:7}:cart", "locks:other"), Duration.ofSeconds(10))) {
			assertThatIllegalStateException().isThrownBy(lock::fencingToken).withMessageContaining("fencingToken(resource)");
			assertThatIllegalArgumentException().isThrownBy(() -> lock.fencingToken("locks:nope"))
				.withMessageContaining("not a resource of this lock");
			assertThat(lock.fencingToken("locks:{user:7}:cart")).isGreaterThan(before);
			assertThat(lock.fencingToken("locks:other")).isPositive();
		}
		assertThat(this.nodes.get(0, "redlock:fence:{user:7}locks:{user:7}:cart")).isNotNull();
	}

	@Test
	void aStaleHolderGetsNoTokenAndAnEarlierTokenIsBelowTheNextHolders() {
		Redlock redlock = this.redlocks.get(0);
		Lock early = redlock.acquire("locks:stale", Duration.ofMillis(800));
		long earlyToken = early.fencingToken();
		Lock stale = this.redlocks.get(1).acquire(List.of("locks:stale-2"), Duration.ofMillis(800));
		await().atMost(GENEROUS).until(() -> !early.isHeld() && !stale.isHeld());

		try (Lock next = this.redlocks.get(2).acquire(List.of("locks:stale", "locks:stale-2"), Duration.ofSeconds(10),
				GENEROUS)) {
			assertThat(next.fencingToken("locks:stale")).isGreaterThan(earlyToken);
			assertThatExceptionOfType(LockExtensionException.class).isThrownBy(stale::fencingToken)
				.withMessageContaining("no longer held");
			assertThat(early.fencingToken()).as("kept").isEqualTo(earlyToken);
		}
	}

	@Test
	void aTokenTheNodesNoLongerHoldTheLockForIsRefusedAndTheLockLost() {
		Lock lock = this.redlocks.get(0).acquire("locks:taken-over", Duration.ofSeconds(30));
		for (int i = 0; i < redis.size(); i++) {
			this.nodes.set(i, "locks:taken-over", "someone-else");
		}
		assertThatExceptionOfType(LockExtensionException.class).isThrownBy(lock::fencingToken)
			.withMessageContaining("no longer hold the lock");
		assertThat(lock.isHeld()).isFalse();
	}

	@Test
	void withoutAQuorumTheTokenFailsClearlyAndCanBeAskedAgainLater() {
		Redlock redlock = Redlock.builder().nodes(redis.uris()).commandTimeout(Duration.ofMillis(300)).build();
		this.redlocks.add(redlock);
		Lock lock = redlock.acquire("locks:cut-off", Duration.ofSeconds(60));
		redis.get(1).pause();
		redis.get(2).pause();
		assertThatExceptionOfType(RedlockException.class).isThrownBy(lock::fencingToken)
			.withMessageContaining("Could not get a fencing token")
			.withMessageContaining("1 of 3 nodes")
			.withMessageContaining("try again");
		assertThat(lock.isHeld()).as("not lost: the nodes did not answer").isTrue();
		redis.get(1).resume();
		redis.get(2).resume();
		assertThat(lock.fencingToken()).isPositive();
		lock.release();
	}

	@Test
	void theCountersPrefixIsNotALockName() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.redlocks.get(0).acquire(FenceKeys.PREFIX + "{x}", Duration.ofSeconds(1)))
			.withMessageContaining("reserved for fencing counters");
	}

}
