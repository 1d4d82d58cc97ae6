package dev.redlock;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.redlock.testkit.RedisServersExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/** Per-call options over the builder's defaults, Lock.check(), Lock.grantedBy(), single-resource forms. */
class LockOptionsAndCheckTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private static final Duration TTL = Duration.ofSeconds(30);

	private Redlock redlock;

	private NodeInspector nodes;

	@BeforeEach
	void build() {
		// Builder defaults that would make any waiting call take minutes.
		this.redlock = Redlock.builder().nodes(redis.uris()).retryCount(1000).retryDelay(Duration.ofSeconds(10)).build();
		this.nodes = new NodeInspector(redis.servers());
	}

	@AfterEach
	void close() {
		this.redlock.close();
		this.nodes.close();
		redis.servers().healAll();
	}

	@Test
	void perCallOptionsOverrideTheBuildersRetrySettings() {
		Lock held = this.redlock.acquire("locks:options", TTL);
		LockOptions quick = LockOptions.builder().retryCount(2).retryDelay(Duration.ofMillis(10)).retryJitter(Duration.ZERO)
			.build();
		assertThatExceptionOfType(LockAcquisitionException.class).isThrownBy(() -> this.redlock.acquire("locks:options", TTL, quick))
			.satisfies((ex) -> assertThat(ex.attemptCount()).isEqualTo(3));
		LockOptions waitBriefly = LockOptions.builder().waitTime(Duration.ofMillis(200)).build();
		assertThatExceptionOfType(LockAcquisitionException.class)
			.isThrownBy(() -> this.redlock.acquire(List.of("locks:options"), TTL, waitBriefly))
			.satisfies((ex) -> assertThat(ex.isHeldByAnotherOwner()).isTrue());
		held.release();
	}

	@Test
	void invalidOptionsAreRefusedNamingEveryOne() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LockOptions.builder().retryCount(-2).driftFactor(1.5).waitTime(Duration.ofMillis(-1)).build())
			.withMessageContaining("retryCount")
			.withMessageContaining("driftFactor")
			.withMessageContaining("waitTime");
	}

	@Test
	void asyncFormsTakeASingleResource() throws Exception {
		Lock lock = this.redlock.acquireAsync("locks:single", TTL, LockOptions.defaults()).toCompletableFuture()
			.get(30, TimeUnit.SECONDS);
		Optional<Lock> other = this.redlock.tryAcquireAsync("locks:single", TTL).toCompletableFuture().get(30, TimeUnit.SECONDS);
		assertThat(other).isEmpty();
		lock.release();
		String result = this.redlock
			.usingAsync("locks:single", TTL, (handle) -> CompletableFuture.completedFuture(handle.resources().get(0)))
			.toCompletableFuture()
			.get(30, TimeUnit.SECONDS);
		assertThat(result).isEqualTo("locks:single");
		this.nodes.awaitEverywhere("locks:single", null);
	}

	@Test
	void maxWaitFormsTakeASingleResource() throws Exception {
		Lock held = this.redlock.acquire("locks:max-wait", TTL);
		assertThatExceptionOfType(LockAcquisitionException.class)
			.isThrownBy(() -> this.redlock.acquire("locks:max-wait", TTL, Duration.ofMillis(200)))
			.satisfies((ex) -> assertThat(ex.isHeldByAnotherOwner()).isTrue());
		CompletableFuture<Lock> waiting = this.redlock.acquireAsync("locks:max-wait", TTL, Duration.ofSeconds(20))
			.toCompletableFuture();
		assertThat(waiting).as("waits while the lock is held").isNotDone();
		held.release();
		Lock lock = waiting.get(30, TimeUnit.SECONDS);
		assertThat(lock.resources()).containsExactly("locks:max-wait");
		lock.release();
	}

	@Test
	void aPerCallDriftFactorShortensTheValidityOfAcquireAndExtend() {
		LockOptions halfForDrift = LockOptions.builder().driftFactor(0.5).build();
		Duration ttl = Duration.ofSeconds(10);
		Lock drifting = this.redlock.acquire("locks:drift", ttl, halfForDrift);
		Lock usual = this.redlock.acquire("locks:drift:usual", ttl);
		// Validity is ttl - elapsed - (ttl * driftFactor + 2 ms): below 5 s for 0.5, above for 0.01.
		assertThat(drifting.remainingValidity()).isLessThan(Duration.ofSeconds(5));
		assertThat(usual.remainingValidity()).isGreaterThan(Duration.ofSeconds(5));
		assertThat(drifting.extend(ttl).remainingValidity()).as("extend computes validity the same way")
			.isLessThan(Duration.ofSeconds(5));
		assertThat(usual.extend(ttl).remainingValidity()).isGreaterThan(Duration.ofSeconds(5));
		drifting.release();
		usual.release();
	}

	/**
	 * Two locks taken together with a 4 s ttl: with the builder's 500 ms threshold a lock is
	 * extended about 3.5 s in, with a per-call 3 s threshold at half its validity, about 2 s in.
	 * Only an earlier extension of the second makes its keys outlive the first's by over a
	 * second; extended at the same time they would stay within milliseconds of each other.
	 */
	@Test
	void aPerCallAutomaticExtensionThresholdExtendsEarlier() {
		Duration ttl = Duration.ofSeconds(4);
		LockOptions early = LockOptions.builder().automaticExtensionThreshold(Duration.ofSeconds(3)).build();
		Lock usual = this.redlock.acquire("locks:threshold:usual", ttl).autoExtend();
		Lock eager = this.redlock.acquire("locks:threshold:early", ttl, early).autoExtend();
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> this.nodes.pttl(0, "locks:threshold:early") - this.nodes.pttl(0, "locks:threshold:usual") > 1000);
		assertThat(usual.isHeld()).isTrue();
		assertThat(eager.isHeld()).isTrue();
		usual.release();
		eager.release();
	}

	@Test
	void checkAsksTheNodesAndALockTakenOverIsFoundLost() {
		Lock lock = this.redlock.acquire("locks:check", TTL);
		assertThat(lock.grantedBy()).hasSizeGreaterThanOrEqualTo(this.redlock.quorum()).isSubsetOf(this.redlock.nodes());
		assertThat(lock.check()).isTrue();
		for (int i = 0; i < redis.size(); i++) {
			this.nodes.set(i, "locks:check", "another-token");
		}
		assertThat(lock.isHeld()).as("the local clock cannot know").isTrue();
		assertThat(lock.check()).isFalse();
		assertThat(lock.isHeld()).as("a quorum holds another token: lost").isFalse();
		assertThatExceptionOfType(RedlockException.class).isThrownBy(lock::throwIfLost);
	}

	@Test
	void checkIsFalseWhenAQuorumCannotAnswer() {
		Lock lock = this.redlock.acquire("locks:check:paused", TTL);
		redis.get(0).pause();
		redis.get(1).pause();
		assertThat(lock.check()).isFalse();
		assertThat(lock.isHeld()).as("unknown is not lost").isTrue();
	}

}
