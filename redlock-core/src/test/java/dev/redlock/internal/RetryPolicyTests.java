package dev.redlock.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongUnaryOperator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The retry rules as plain arithmetic: a fake clock and a scripted random source, no Redis. */
class RetryPolicyTests {

	private static final long MS = 1_000_000L;

	private final AtomicLong clock = new AtomicLong(1_000 * MS);

	/** The largest value below the bound: shows the top of every random window. */
	private final LongUnaryOperator highest = (bound) -> bound - 1;

	private final List<Long> bounds = new ArrayList<>();

	private RetryPolicy policy(int retryCount, long deadline, long jitter, boolean notifications) {
		return new RetryPolicy(retryCount, deadline, 200 * MS, jitter, notifications, this.clock::get, (bound) -> {
			this.bounds.add(bound);
			return this.highest.applyAsLong(bound);
		});
	}

	@Test
	void oneAttemptForRetryCountZeroWhateverElseHappens() {
		RetryPolicy policy = policy(0, RetryPolicy.NO_DEADLINE, 0, true);
		assertThat(policy.mayWait()).isFalse();
		assertThat(policy.mayAttempt()).isTrue();
		policy.attemptStarted();
		policy.attemptFailed(1, 2, 2, MS, false, false);
		assertThat(policy.mayAttempt()).isFalse();
	}

	@Test
	void retryCountNAllowsExactlyNPlusOneAttemptsCountingWokenOnes() {
		RetryPolicy policy = policy(3, RetryPolicy.NO_DEADLINE, 0, true);
		int attempts = 0;
		while (policy.mayAttempt()) {
			policy.attemptStarted();
			attempts++;
			// Every other attempt was started by a release notification: it counts all the same.
			policy.attemptFailed(0, 3, 2, MS, attempts % 2 == 0, false);
		}
		assertThat(attempts).isEqualTo(4);
		assertThat(policy.attempts()).isEqualTo(4);
	}

	@Test
	void theSecondHalfOfAnAttemptIsSentOnlyBeforeTheDeadline() {
		long deadline = this.clock.get() + 100 * MS;
		RetryPolicy policy = policy(-1, deadline, 0, true);
		policy.attemptStarted();
		assertThat(policy.beforeDeadline()).isTrue();
		this.clock.set(deadline);
		assertThat(policy.beforeDeadline()).isFalse();
		assertThat(policy(-1, RetryPolicy.NO_DEADLINE, 0, true).beforeDeadline()).isTrue();
	}

	@Test
	void noAttemptStartsAtOrAfterTheDeadlineButTheFirstAlwaysDoes() {
		long deadline = this.clock.get();
		RetryPolicy policy = policy(-1, deadline, 0, true);
		assertThat(policy.mayWait()).as("a zero wait is one attempt").isFalse();
		assertThat(policy.mayAttempt()).isTrue();
		policy.attemptStarted();
		assertThat(policy.mayAttempt()).isFalse();
	}

	@Test
	void sleepsNeverReachPastTheDeadline() {
		RetryPolicy policy = policy(-1, this.clock.get() + 50 * MS, 0, true);
		policy.attemptStarted();
		policy.attemptFailed(0, 3, 2, MS, false, false);
		assertThat(policy.delayAfterFailure()).isEqualTo(50 * MS);
		this.clock.addAndGet(50 * MS);
		assertThat(policy.mayAttempt()).isFalse();
	}

	@Test
	void pollsFollowRetryDelayPlusJitterFromTheStart() {
		RetryPolicy policy = policy(10, RetryPolicy.NO_DEADLINE, 100 * MS, false);
		policy.attemptStarted();
		this.clock.addAndGet(MS);
		policy.attemptFailed(0, 3, 2, MS, false, false);
		// The first poll is due retryDelay + jitter after the start, not after the failure.
		assertThat(policy.delayAfterFailure()).isEqualTo(200 * MS + 100 * MS - 1 - MS);
		this.clock.addAndGet(299 * MS);
		assertThat(policy.delayAfterFailure()).isEqualTo(200 * MS + 100 * MS - 1);
	}

	@Test
	void aWaiterWithAWaitBoundAndNotificationsPollsLessWhileTheKeyIsHeld() {
		RetryPolicy policy = policy(-1, RetryPolicy.NO_DEADLINE, 0, true);
		List<Long> delays = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			policy.attemptStarted();
			policy.attemptFailed(0, 3, 2, MS, false, false);
			long delay = policy.delayAfterFailure();
			delays.add(delay / MS);
			this.clock.addAndGet(delay);
		}
		// The first poll is the plain delay; then 2, 4, 8 delays, and no further apart.
		assertThat(delays).containsExactly(200L, 400L, 800L, 1600L, 1600L);
	}

	@Test
	void aWaiterWhoseProbesOfTheDesignatedNodeAreRefusedPollsLessToo() {
		RetryPolicy policy = policy(-1, RetryPolicy.NO_DEADLINE, 0, true);
		List<Long> delays = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			policy.attemptStarted();
			policy.attemptFailed(0, 1, 2, MS, false, false, true);
			long delay = policy.delayAfterFailure();
			delays.add(delay / MS);
			this.clock.addAndGet(delay);
		}
		assertThat(delays).containsExactly(200L, 400L, 800L, 1600L);
	}

	@Test
	void aRetryCountKeepsTheFixedPollDelay() {
		RetryPolicy policy = policy(10, RetryPolicy.NO_DEADLINE, 0, true);
		for (int i = 0; i < 4; i++) {
			policy.attemptStarted();
			policy.attemptFailed(0, 3, 2, MS, false, false);
			long delay = policy.delayAfterFailure();
			assertThat(delay).isEqualTo(200 * MS);
			this.clock.addAndGet(delay);
		}
	}

	@Test
	void splitVotesBackOffOverAWindowThatDoublesUpToOnePollInterval() {
		RetryPolicy policy = policy(-1, RetryPolicy.NO_DEADLINE, 0, true);
		List<Long> windows = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			policy.attemptStarted();
			policy.attemptFailed(1, 2, 2, MS, false, false);
			assertThat(policy.lastWasSplit()).isTrue();
			this.bounds.clear();
			policy.delayAfterFailure();
			windows.add(this.bounds.get(this.bounds.size() - 1) / MS);
		}
		// Four round trips (4 ms) doubling, capped at the retry delay.
		assertThat(windows).containsExactly(4L, 8L, 16L, 32L, 64L, 128L, 200L, 200L, 200L, 200L);
		policy.attemptStarted();
		policy.attemptFailed(0, 3, 2, MS, false, false);
		assertThat(policy.lastWasSplit()).as("a clean refusal ends the split streak").isFalse();
	}

	@Test
	void grantsBesideAnotherOwnersLockOnAQuorumAreNoSplitButAHeldKey() {
		RetryPolicy policy = policy(-1, RetryPolicy.NO_DEADLINE, 0, true);
		List<Long> delays = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			policy.attemptStarted();
			policy.attemptFailed(1, 2, 2, MS, false, false, true, true);
			assertThat(policy.lastWasSplit()).isFalse();
			long delay = policy.delayAfterFailure();
			delays.add(delay / MS);
			this.clock.addAndGet(delay);
		}
		// Polls that thin out, as for any held key: the owner's release wakes the waiter.
		assertThat(delays).containsExactly(200L, 400L, 800L, 1600L);
	}

	@Test
	void aWaiterThatNeverLostAWakeUpGoesAtOnceAndOneThatLostStaggers() {
		RetryPolicy policy = policy(-1, RetryPolicy.NO_DEADLINE, 0, true);
		assertThat(policy.delayAfterWake()).isZero();
		List<Long> windows = new ArrayList<>();
		for (int i = 0; i < 7; i++) {
			policy.attemptStarted();
			policy.attemptFailed(0, 3, 2, MS, true, false);
			this.bounds.clear();
			policy.delayAfterWake();
			windows.add(this.bounds.get(0) / MS);
		}
		// One round trip (1 ms) doubling with each lost wake-up, up to 32 round trips.
		assertThat(windows).containsExactly(2L, 4L, 8L, 16L, 32L, 32L, 32L);
	}

	@Test
	void aWokenProberGoesSoonerTheMoreWakeUpsItLost() {
		RetryPolicy policy = policy(-1, RetryPolicy.NO_DEADLINE, 0, true);
		policy.attemptStarted();
		policy.attemptFailed(0, 3, 2, 3 * MS, false, false);
		List<Long> delays = new ArrayList<>();
		delays.add(policy.delayBeforeProbe());
		for (int i = 0; i < 13; i++) {
			policy.attemptStarted();
			policy.attemptFailed(0, 1, 2, 3 * MS, true, false);
			delays.add(policy.delayBeforeProbe());
		}
		// A step of a third of the round trip (1 ms) per lost wake-up, from 12 steps to none.
		assertThat(delays).containsExactly(12 * MS, 11 * MS, 10 * MS, 9 * MS, 8 * MS, 7 * MS, 6 * MS, 5 * MS, 4 * MS,
				3 * MS, 2 * MS, MS, 0L, 0L);
	}

	@Test
	void aProbeNeverWaitsPastTheDeadline() {
		RetryPolicy policy = policy(-1, this.clock.get() + 2 * MS, 0, true);
		policy.attemptStarted();
		policy.attemptFailed(0, 3, 2, 3 * MS, false, false);
		assertThat(policy.delayBeforeProbe()).isEqualTo(2 * MS);
	}

	@Test
	void aContenderThatLostTheDesignatedNodeComesBackAfterTheKeepersReAsk() {
		RetryPolicy policy = policy(-1, RetryPolicy.NO_DEADLINE, 0, true);
		policy.attemptStarted();
		policy.attemptFailed(1, 2, 2, MS, false, true);
		// The split window's top (4 round trips, less one ns) plus two round trips.
		assertThat(policy.delayAfterFailure()).isEqualTo(6 * MS - 1);
		policy.attemptStarted();
		policy.attemptFailed(1, 2, 2, MS, false, false);
		assertThat(policy.delayAfterFailure()).isEqualTo(8 * MS - 1);
	}

}
