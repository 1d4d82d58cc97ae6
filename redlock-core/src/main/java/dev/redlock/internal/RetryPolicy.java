package dev.redlock.internal;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import java.util.function.LongUnaryOperator;

/**
 * When an acquisition may try again, and after how long: plain arithmetic over the clock and
 * a random source, both injected, so every rule is tested without Redis or real time.
 *
 * <ul>
 * <li><b>Budget.</b> At most {@code retryCount + 1} attempts (unlimited for -1), each started
 * before the deadline. Every attempt counts, whatever woke it, so the bounds a caller was
 * promised always hold; the first attempt is always made.</li>
 * <li><b>Polls.</b> node-redlock's schedule: {@code retryDelay + random(retryJitter)} apart.
 * A waiter with a wait bound and release notifications polls less and less often (up to 8
 * delays apart) while another owner holds the key: a release wakes it anyway.</li>
 * <li><b>Split votes.</b> Nobody won, and no release will come to wake anyone: back off at
 * random over a few round trips, doubling while splits go on, up to one poll interval. A
 * contender that lost the key's designated node to another ({@link SplitRule}) yields: it
 * comes back no sooner than two round trips, past the keeper's re-ask. Grants beside one
 * other owner's lock on so many nodes that nobody else can win (a line waiter's claims say
 * whose lock refused them) are no split: that owner's release will come, and wake a waiter.</li>
 * <li><b>Wake-ups.</b> A release wakes one waiter in every process that waits for the key,
 * so they race. A retry probes the key's designated node alone ({@link SplitRule}), where a
 * lost race costs one refused command, so woken waiters go in order of the wake-ups they
 * lost, oldest first, a third of a round trip apart ({@link #delayBeforeProbe()}). Without
 * probes (the designated node failing) every node is asked, a lost race splits votes, and a
 * waiter that lost staggers its next wake-up at random over a window that doubles with each
 * loss (up to 32 round trips), so the earliest tends to win outright.</li>
 * </ul>
 */
final class RetryPolicy {

	/** No deadline: bounded by the retry count alone. */
	static final long NO_DEADLINE = Long.MAX_VALUE;

	private static final long MIN_SPLIT_WINDOW_NANOS = 1_000_000L;

	private static final long MIN_STAGGER_WINDOW_NANOS = 50_000L;

	private static final int PROBE_RANKS = 12;

	private static final long MIN_PROBE_STEP_NANOS = 20_000L;

	private final long maxAttempts;

	private final long deadline;

	private final long retryDelayNanos;

	private final long retryJitterNanos;

	private final boolean notifications;

	private final LongSupplier clock;

	/** Uniform in [0, bound). */
	private final LongUnaryOperator random;

	private long attempts;

	private int splits;

	private int wakeLosses;

	private int heldPolls;

	private boolean heldByAnother;

	private boolean yielded;

	private long lastRoundTrip;

	private long nextPollAt;

	/**
	 * @param retryCount retries after the first attempt, -1 for no limit but the deadline
	 * @param deadline on the clock's scale, or {@link #NO_DEADLINE}
	 * @param notifications whether release notifications wake waiters (polls can then thin out)
	 */
	RetryPolicy(int retryCount, long deadline, long retryDelayNanos, long retryJitterNanos, boolean notifications,
			LongSupplier clock, LongUnaryOperator random) {
		this.maxAttempts = (retryCount < 0) ? Long.MAX_VALUE : retryCount + 1L;
		this.deadline = deadline;
		this.retryDelayNanos = retryDelayNanos;
		this.retryJitterNanos = retryJitterNanos;
		this.notifications = notifications;
		this.clock = clock;
		this.random = random;
		this.nextPollAt = clock.getAsLong() + pollInterval();
	}

	/** The policy of an acquisition with {@code settings} starting now, on the real clock and random source. */
	static RetryPolicy startingNow(Settings settings) {
		long now = System.nanoTime();
		long deadline = (settings.waitTime() != null) ? Validation.deadline(now, settings.waitTime()) : NO_DEADLINE;
		return new RetryPolicy(settings.retryCount(), deadline, settings.retryDelay().toNanos(),
				settings.retryJitter().toNanos(), settings.notifications(), System::nanoTime,
				(bound) -> ThreadLocalRandom.current().nextLong(bound));
	}

	/** Whether a caller may ever wait: not for one attempt only. */
	boolean mayWait() {
		return this.maxAttempts > 1 && this.deadline > this.clock.getAsLong();
	}

	/** Whether another attempt may start now. The first one always may. */
	boolean mayAttempt() {
		return this.attempts == 0 || (this.attempts < this.maxAttempts && this.clock.getAsLong() < this.deadline);
	}

	/**
	 * Whether the wait bound has not run out yet. The second half of an attempt (a probe's ask
	 * of the other nodes, a kept split's re-ask) is sent only before it: sent after it, its
	 * answer could come a command timeout later still, past what the caller was promised.
	 */
	boolean beforeDeadline() {
		return this.clock.getAsLong() < this.deadline;
	}

	void attemptStarted() {
		this.attempts++;
	}

	long attempts() {
		return this.attempts;
	}

	/**
	 * Takes in a failed attempt's votes.
	 * @param woken whether a release notification started that attempt
	 * @param yielded whether it lost the key's designated node to a contender that keeps its votes
	 */
	void attemptFailed(int granted, int refused, int quorum, long roundTripNanos, boolean woken, boolean yielded) {
		attemptFailed(granted, refused, quorum, roundTripNanos, woken, yielded, false);
	}

	/**
	 * Takes in a failed attempt's votes.
	 * @param probed whether the attempt asked the key's designated node alone: its refusal says
	 * the key is held as a quorum's would, so a waiter in line, which polls by probes, thins
	 * its polls out too (the release will name it when its turn comes)
	 */
	void attemptFailed(int granted, int refused, int quorum, long roundTripNanos, boolean woken, boolean yielded,
			boolean probed) {
		attemptFailed(granted, refused, quorum, roundTripNanos, woken, yielded, probed, false);
	}

	/**
	 * Takes in a failed attempt's votes.
	 * @param lockedOut whether the nodes said that one other owner's lock holds so many of them
	 * that nobody else can win: grants and refusals together are then no split, and its
	 * release, not a back-off, is what to wait for
	 */
	void attemptFailed(int granted, int refused, int quorum, long roundTripNanos, boolean woken, boolean yielded,
			boolean probed, boolean lockedOut) {
		this.lastRoundTrip = roundTripNanos;
		this.yielded = yielded;
		this.heldByAnother = lockedOut || refused >= quorum || (probed && granted == 0 && refused > 0);
		if (woken) {
			this.wakeLosses++;
		}
		if (lockedOut || !(granted > 0 && refused > 0)) {
			this.splits = 0;
		}
		else {
			this.splits++;
		}
	}

	/** Whether the last failed attempt split the vote: nobody won it. */
	boolean lastWasSplit() {
		return this.splits > 0;
	}

	/** How long to sleep after a failed attempt, until the next poll or the end of a split back-off. */
	long delayAfterFailure() {
		long now = this.clock.getAsLong();
		long delay;
		if (this.splits > 0) {
			long window = Math.max(4 * this.lastRoundTrip, MIN_SPLIT_WINDOW_NANOS) << Math.min(this.splits - 1, 20);
			delay = this.random.applyAsLong(Math.max(1, Math.min(window, Math.max(pollInterval(), MIN_SPLIT_WINDOW_NANOS))));
			if (this.yielded) {
				delay += 2 * this.lastRoundTrip;
			}
		}
		else {
			if (now >= this.nextPollAt) {
				this.nextPollAt = now + nextPollInterval();
			}
			delay = this.nextPollAt - now;
		}
		return untilDeadline(now, delay);
	}

	/**
	 * How long a woken waiter that probes the designated node waits first: the more wake-ups it
	 * lost, the sooner it goes, one step (a third of a round trip) per loss, from
	 * {@value #PROBE_RANKS} steps for a waiter that never lost to none. Waiters in different
	 * processes thus tend to be served in the order they began to wait, with no queue: a tie
	 * costs the loser one refused command on one node.
	 */
	long delayBeforeProbe() {
		int rank = Math.min(this.wakeLosses, PROBE_RANKS);
		long step = Math.max(this.lastRoundTrip / 3, MIN_PROBE_STEP_NANOS);
		return untilDeadline(this.clock.getAsLong(), (PROBE_RANKS - rank) * step);
	}

	/** How long to wait, after a release notification, before trying: 0 unless wake-ups were lost before. */
	long delayAfterWake() {
		if (this.wakeLosses == 0) {
			return 0;
		}
		long window = Math.max(this.lastRoundTrip, MIN_STAGGER_WINDOW_NANOS) << Math.min(this.wakeLosses, 5);
		return untilDeadline(this.clock.getAsLong(), this.random.applyAsLong(window));
	}

	private long untilDeadline(long now, long delay) {
		return (this.deadline == NO_DEADLINE) ? delay : Math.max(0, Math.min(delay, this.deadline - now));
	}

	private long nextPollInterval() {
		boolean thinOut = this.maxAttempts == Long.MAX_VALUE && this.heldByAnother && this.notifications;
		this.heldPolls = thinOut ? this.heldPolls + 1 : 0;
		return pollInterval() << Math.min(this.heldPolls, 3);
	}

	private long pollInterval() {
		return this.retryDelayNanos + ((this.retryJitterNanos > 0) ? this.random.applyAsLong(this.retryJitterNanos) : 0);
	}

}
