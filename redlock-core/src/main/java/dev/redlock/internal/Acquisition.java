package dev.redlock.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.redlock.AcquisitionAttempt;
import dev.redlock.Lock;
import dev.redlock.LockAcquisitionException;
import dev.redlock.LockAcquisitionException.Reason;
import dev.redlock.NodeVote.Vote;
import dev.redlock.RedlockException;

/**
 * One acquisition, from the first attempt to a lock or a {@link LockAcquisitionException},
 * driven entirely by callbacks: no thread waits while it retries.
 *
 * <p>
 * Retries follow a fixed schedule of polls, {@code retryDelay + random(retryJitter)} apart,
 * that the retry count (or the wait bound) limits. In between, a release notification or a
 * split vote (waiters racing each other) triggers an extra attempt at once or after a short
 * random back-off; those do not use up retries, so notifications shorten the wait without
 * shortening the time a caller is willing to wait. A split vote on the last allowed attempt
 * earns up to {@value #GRACE_ATTEMPTS} more: nobody won it.
 */
final class Acquisition implements ReleaseNotifications.Waiter {

	private static final int KEPT_ATTEMPTS = 16;

	/** Extra attempts after a split vote once the retries or the wait are used up. */
	private static final int GRACE_ATTEMPTS = 2;

	private final Cluster cluster;

	private final List<String> resources;

	private final String[] keys;

	private final long ttlNanos;

	private final int retryCount;

	private final long deadline;

	private final CompletableFuture<Lock> result = new CompletableFuture<>();

	private final AtomicBoolean signalled = new AtomicBoolean();

	private final AtomicReference<ScheduledFuture<?>> sleeping = new AtomicReference<>();

	private final Deque<AcquisitionAttempt> history = new ArrayDeque<>();

	private int attempts;

	private int polls;

	private int splits;

	private int graceAttempts;

	private boolean heldByAnother;

	/** Whether the attempt under way was started by a release notification. */
	private boolean woken;

	private int wakeLosses;

	private long lastRoundTrip;

	private int heldPolls;

	private boolean graceAttemptDue;

	private long nextPollAt;

	/**
	 * @param retryCount retries allowed, -1 for no limit but the deadline
	 * @param maxWait how long to keep trying, or {@code null} for no bound but the retry count
	 */
	Acquisition(Cluster cluster, List<String> resources, Duration ttl, int retryCount, Duration maxWait) {
		this.cluster = cluster;
		this.resources = resources;
		this.keys = resources.toArray(String[]::new);
		this.ttlNanos = ttl.toNanos();
		this.retryCount = retryCount;
		long now = System.nanoTime();
		this.deadline = (maxWait != null) ? Validation.deadline(now, maxWait) : Long.MAX_VALUE;
		this.nextPollAt = now + pollInterval();
	}

	CompletableFuture<Lock> start() {
		if (this.retryCount != 0 && (this.deadline == Long.MAX_VALUE || this.deadline > System.nanoTime())) {
			this.cluster.notifications().register(this, this.keys);
			this.result.whenComplete((lock, ex) -> this.cluster.notifications().unregister(this, this.keys));
		}
		attempt();
		return this.result;
	}

	private void attempt() {
		if (this.result.isDone()) {
			return;
		}
		this.signalled.set(false);
		String token = this.cluster.newToken();
		long ttlMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(this.ttlNanos));
		this.cluster.acquireRound(this.keys, token, ttlMillis)
			.decided()
			.thenAccept((tally) -> decide(tally, token))
			.exceptionally(this::abort);
	}

	private void decide(Tally tally, String token) {
		long drift = this.cluster.settings().driftNanos(this.ttlNanos);
		long validity = this.ttlNanos - tally.elapsedNanos() - drift;
		if (tally.hasQuorum() && validity > 0) {
			RedlockLock lock = new RedlockLock(this.cluster, this.resources, token, this.ttlNanos,
					tally.startedAt() + this.ttlNanos - drift);
			if (!this.result.complete(lock)) {
				lock.releaseAsync();
			}
			return;
		}
		this.attempts++;
		remember(new AcquisitionAttempt(this.attempts, tally.votes(), Duration.ofNanos(tally.elapsedNanos())));
		this.lastRoundTrip = tally.elapsedNanos();
		if (this.woken) {
			this.woken = false;
			this.wakeLosses++;
		}
		this.heldByAnother = tally.count(Vote.REFUSED) >= this.cluster.quorum();
		// Undo the partial acquisition before trying again, wherever a key may have been set.
		this.cluster.undoRound(this.keys, token, tally).thenRun(() -> retryOrFail(tally)).exceptionally(this::abort);
	}

	private void retryOrFail(Tally last) {
		if (this.result.isDone()) {
			return;
		}
		long now = System.nanoTime();
		boolean split = last.count(Vote.GRANTED) > 0 && last.count(Vote.REFUSED) > 0;
		if (!split) {
			this.splits = 0;
		}
		boolean budgetLeft = (this.retryCount < 0 || this.polls < this.retryCount) && now < this.deadline;
		if (!budgetLeft) {
			// A split vote means nobody won. Even a caller allowed one attempt gets a couple
			// more then, or callers racing for a free lock could all lose to each other.
			if (split && this.graceAttempts < GRACE_ATTEMPTS) {
				this.graceAttempts++;
				this.graceAttemptDue = true;
				sleep(splitBackoff(last));
			}
			else {
				fail();
			}
			return;
		}
		if (this.signalled.get()) {
			attemptAfterWake();
			return;
		}
		// Subscribes on this Redlock's first wait. A release in the round trips before the
		// subscription is active goes unheard and costs that one wait a poll.
		this.cluster.notifications().listen();
		sleep(split ? splitBackoff(last) : Math.max(0, Math.min(this.nextPollAt, this.deadline) - now));
	}

	/**
	 * After a split vote, maybe waiters raced each other and nobody won, and no release will
	 * come to wake anyone. Back off at random, from a few round trips, doubling while splits
	 * go on (a holder may also just hold a bare quorum), up to the retry delay.
	 */
	private long splitBackoff(Tally last) {
		long window = Math.max(4 * last.elapsedNanos(), 1_000_000L) << Math.min(this.splits++, 20);
		return ThreadLocalRandom.current().nextLong(Math.min(window, Math.max(pollInterval(), 1_000_000L)));
	}

	private void sleep(long delayNanos) {
		ScheduledFuture<?> timer;
		try {
			timer = this.cluster.scheduler().schedule(this::wakeUpByTimer, delayNanos, TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			this.result.completeExceptionally(new RedlockException("The Redlock was closed while acquiring " + this.resources, ex));
			return;
		}
		this.sleeping.set(timer);
		// A notification that came in before the timer was visible must not be lost.
		if (this.signalled.get()) {
			wakeUpEarly();
		}
	}

	private void wakeUpByTimer() {
		if (this.graceAttemptDue) {
			this.graceAttemptDue = false;
			attempt();
			return;
		}
		long now = System.nanoTime();
		if (now >= this.deadline) {
			fail();
			return;
		}
		if (now >= this.nextPollAt) {
			this.polls++;
			this.nextPollAt = now + nextPollInterval();
		}
		attempt();
	}

	@Override
	public boolean wake() {
		if (this.result.isDone()) {
			return false;
		}
		this.signalled.set(true);
		wakeUpEarly();
		return true;
	}

	private void wakeUpEarly() {
		ScheduledFuture<?> timer = this.sleeping.getAndSet(null);
		// Only one of the timer, a notification and the sleeper's re-check wins the cancel.
		if (timer != null && timer.cancel(false)) {
			attemptAfterWake();
		}
	}

	/**
	 * A release wakes one waiter in every Redlock that waits for the key, so waiters in
	 * other processes race each other, split the vote, and all lose. A waiter that lost
	 * after its last wake-ups staggers the next one at random, over a window that doubles
	 * with each loss (up to 32 round trips): with k racers, the earliest then tends to lead
	 * the next by a round trip and wins outright. The first wake-up goes at once, so a lone
	 * waiter pays nothing.
	 */
	private void attemptAfterWake() {
		this.woken = true;
		if (this.wakeLosses == 0) {
			attempt();
			return;
		}
		long window = Math.max(this.lastRoundTrip, 50_000L) << Math.min(this.wakeLosses, 5);
		this.signalled.set(false);
		sleep(ThreadLocalRandom.current().nextLong(window));
	}

	/** Out of retries or time: fail with what the last attempt saw. */
	private void fail() {
		this.result.completeExceptionally(failure(reasonOf(this.history.peekLast())));
	}

	/** A bug or a closed Redlock must end the acquisition, never leave its caller waiting. */
	private Void abort(Throwable ex) {
		this.result.completeExceptionally(new RedlockException("Acquisition of " + this.resources + " failed", ex));
		return null;
	}

	private Reason reasonOf(AcquisitionAttempt last) {
		if (last == null) {
			return Reason.HELD_BY_ANOTHER_OWNER;
		}
		int nodes = last.votes().size();
		int quorum = this.cluster.quorum();
		if (last.count(Vote.FAILED) > nodes - quorum) {
			return Reason.QUORUM_UNREACHABLE;
		}
		return (last.count(Vote.GRANTED) >= quorum) ? Reason.VALIDITY_EXHAUSTED : Reason.HELD_BY_ANOTHER_OWNER;
	}

	private LockAcquisitionException failure(Reason reason) {
		return new LockAcquisitionException(this.resources, reason, this.attempts, new ArrayList<>(this.history));
	}

	private void remember(AcquisitionAttempt attempt) {
		if (this.history.size() == KEPT_ATTEMPTS) {
			this.history.removeFirst();
		}
		this.history.addLast(attempt);
	}

	/**
	 * With a wait bound and release notifications, a waiter whose lock is held polls less
	 * and less often (up to 8 retry delays apart): a release wakes it anyway, and polls only
	 * cover a holder that vanished and let its keys expire. A thousand waiters then cost the
	 * nodes a trickle instead of thousands of commands a second. With a retry count, polls
	 * keep node-redlock's fixed delay, since each one uses up a retry.
	 */
	private long nextPollInterval() {
		boolean backOff = this.retryCount < 0 && this.heldByAnother && this.cluster.settings().notifications();
		this.heldPolls = backOff ? this.heldPolls + 1 : 0;
		return pollInterval() << Math.min(this.heldPolls, 3);
	}

	private long pollInterval() {
		Settings settings = this.cluster.settings();
		long jitter = settings.retryJitter().toNanos();
		return settings.retryDelay().toNanos() + ((jitter > 0) ? ThreadLocalRandom.current().nextLong(jitter) : 0);
	}

}
