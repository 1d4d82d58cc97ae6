package dev.redlock.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import dev.redlock.AcquisitionAttempt;
import dev.redlock.Lock;
import dev.redlock.LockAcquisitionException;
import dev.redlock.NodeVote;
import dev.redlock.NodeVote.Vote;
import dev.redlock.RedlockException;

/**
 * One acquisition, from the first attempt to a lock or a {@link LockAcquisitionException}: a
 * state machine whose events (a round decided, an undo done, a timer, a release
 * notification, a cancellation) run one at a time through {@link SerialEvents}, so none can
 * start a second attempt while one is under way. When to try again is the
 * {@link RetryPolicy}'s business.
 *
 * <pre>
 * ATTEMPTING --quorum, valid--> DONE (a lock)
 * ATTEMPTING (a retry: the designated node only) --granted--> ATTEMPTING (the other nodes)
 * ATTEMPTING --split, won the designated node--> KEEPING --timer--> ATTEMPTING (re-ask the refusers)
 * ATTEMPTING --failed--> UNDOING --undone--> SLEEPING --timer / notified / peeked free--> ATTEMPTING
 *                        (no attempt left: DONE, failed, undo finishing in the background)
 * any state --cancelled, closed--> DONE (a lock won meanwhile is released)
 * </pre>
 * A first attempt asks every node at once; a retry asks the key's designated node first, and
 * the others once it granted, so the waiters woken by one release never split the vote among
 * themselves. A notification that arrives while ATTEMPTING, KEEPING or UNDOING is kept, and
 * cuts the next sleep. Split votes with a first attempt are broken by {@link SplitRule}.
 */
final class Acquisition implements ReleaseNotifications.Waiter {

	private enum State {

		ATTEMPTING, KEEPING, UNDOING, SLEEPING, DONE

	}

	/** Re-asks in a row of a kept split; past them the keeper undoes and backs off like the rest. */
	private static final int MAX_RE_ASKS = 3;

	/** The shortest wait before a re-ask: the yielding contenders' undo must land first. */
	private static final long MIN_RE_ASK_DELAY_NANOS = 20_000L;

	private final LockContext context;

	private final Settings settings;

	private final List<String> resources;

	private final String[] keys;

	private final Lease lease;

	private final RetryPolicy policy;

	private final CompletableFuture<Lock> result = new CompletableFuture<>();

	private final SerialEvents events = new SerialEvents(this::abort);

	private final AttemptHistory history;

	private State state = State.ATTEMPTING;

	/** Tells a timer that fires after its sleep was cut short that it is stale. */
	private long sleepGeneration;

	private Future<?> timer;

	/** Whether the current sleep is a stagger after a wake-up, which notifications do not cut. */
	private boolean staggering;

	private boolean notifiedMeanwhile;

	private boolean woken;

	/** When the last attempt (or re-ask) was sent: a subscription confirmed later may have missed a release. */
	private long lastSentAt;

	private final int designated;

	/** Whether the designated node failed the last attempt: then retries ask every node at once. */
	private boolean designatedFailed;

	/** The grants of the attempt under way, kept while the other nodes are asked; or null. */
	private KeptGrants kept;

	Acquisition(LockContext context, Settings settings, List<String> resources, Lease lease) {
		this.context = context;
		this.settings = settings;
		this.resources = resources;
		this.keys = resources.toArray(String[]::new);
		this.lease = lease;
		this.designated = SplitRule.designated(this.keys, context.nodeCount());
		this.history = new AttemptHistory(context.quorum());
		long now = System.nanoTime();
		long deadline = (settings.waitTime() != null) ? Validation.deadline(now, settings.waitTime()) : RetryPolicy.NO_DEADLINE;
		this.policy = new RetryPolicy(settings.retryCount(), deadline, settings.retryDelay().toNanos(),
				settings.retryJitter().toNanos(), settings.notifications(), System::nanoTime,
				(bound) -> ThreadLocalRandom.current().nextLong(bound));
	}

	CompletableFuture<Lock> start() {
		if (this.policy.mayWait()) {
			this.context.notifications().register(this, this.keys);
		}
		this.result.whenComplete((lock, ex) -> {
			this.context.notifications().unregister(this, this.keys);
			this.events.run(this::finished);
		});
		this.events.run(this::attempt);
		return this.result;
	}

	/** Ends the acquisition from outside: the Redlock is closing. */
	void cancel(RedlockException cause) {
		this.result.completeExceptionally(cause);
	}

	private void attempt() {
		if (this.result.isDone()) {
			return;
		}
		boolean probe = probesNext();
		this.state = State.ATTEMPTING;
		this.policy.attemptStarted();
		boolean byWake = this.woken;
		this.woken = false;
		String token = this.context.tokens().next();
		this.lastSentAt = System.nanoTime();
		Rounds rounds = this.context.rounds();
		Tally round = probe ? rounds.probe(this.keys, token, this.lease.ttlMillis(), this.designated)
				: rounds.acquire(this.keys, token, this.lease.ttlMillis());
		round.decided().whenComplete((tally, ex) -> this.events.run(() -> decided(tally, token, byWake, probe, ex)));
	}

	/**
	 * Whether the next attempt asks the designated node alone first: every retry does, unless
	 * that node failed. Waiters racing for a released key then meet on one node, where one wins
	 * outright, instead of splitting the vote over all of them.
	 */
	private boolean probesNext() {
		return this.policy.attempts() > 0 && this.context.nodeCount() > 1 && !this.designatedFailed;
	}

	/** Re-asks the nodes that refused a kept split, with its token; an attempt like any other. */
	private void reAsk(long generation) {
		if (this.state != State.KEEPING || generation != this.sleepGeneration || this.result.isDone()) {
			return;
		}
		if (!this.policy.mayAttempt()) {
			this.context.rounds().undo(this.keys, this.kept.token(), this.kept.tally(), this.lease);
			this.kept = null;
			fail();
			return;
		}
		this.policy.attemptStarted();
		askTheRest();
	}

	/** Asks, with the kept token, every node that has not granted it yet. */
	private void askTheRest() {
		this.state = State.ATTEMPTING;
		String token = this.kept.token();
		this.lastSentAt = System.nanoTime();
		this.context.rounds()
			.reAsk(this.keys, token, this.lease.ttlMillis(), this.kept.granted(), this.kept.tally().replies())
			.decided()
			.whenComplete((tally, ex) -> this.events.run(() -> decided(tally, token, false, false, ex)));
	}

	private void decided(Tally tally, String token, boolean byWake, boolean probe, Throwable error) {
		if (error != null) {
			abort(error);
			return;
		}
		// A re-ask's lock is valid from the first send of the keys it kept, not from its own.
		long validUntil = this.lease.validUntil((this.kept != null) ? this.kept.since() : tally.startedAt());
		long now = System.nanoTime();
		if (tally.hasQuorum() && validUntil - now > 0) {
			this.kept = null;
			RedlockLock lock = new RedlockLock(this.context, this.settings, this.resources, token, this.lease, validUntil, tally);
			this.state = State.DONE;
			if (!this.result.complete(lock)) {
				// The caller gave up (interrupted, cancelled, closed) while this attempt was out.
				lock.releasing();
			}
			return;
		}
		List<NodeVote> votes = tally.votes();
		Vote atDesignated = votes.get(this.designated).vote();
		this.designatedFailed = atDesignated == Vote.FAILED;
		if (probe && atDesignated == Vote.GRANTED && !this.result.isDone() && validUntil - now > 0
				&& this.policy.beforeDeadline()) {
			// The second half of the same attempt: no other waiter can win the key now.
			this.kept = KeptGrants.first(tally, token);
			askTheRest();
			return;
		}
		this.history.failed(new AcquisitionAttempt((int) this.policy.attempts(), votes, Duration.ofNanos(tally.elapsedNanos())));
		for (int i = 0; i < votes.size(); i++) {
			if (votes.get(i).vote() != Vote.NOT_ASKED) {
				this.context.notifications().voted(i, votes.get(i).vote() == Vote.FAILED);
			}
		}
		this.policy.attemptFailed(tally.count(Vote.GRANTED), tally.count(Vote.REFUSED), this.context.quorum(),
				tally.elapsedNanos(), byWake, SplitRule.yields(votes, this.designated));
		long roundTrip = Math.max(tally.elapsedNanos(), MIN_RE_ASK_DELAY_NANOS);
		int reAsks = (this.kept != null) ? this.kept.reAsks() : 0;
		if (SplitRule.keeps(votes, this.designated) && reAsks < MAX_RE_ASKS && !this.result.isDone()
				&& this.policy.mayAttempt() && validUntil - now > 4 * roundTrip) {
			keep(tally, token, roundTrip);
			return;
		}
		this.kept = null;
		CompletableFuture<Void> undone = this.context.rounds().undo(this.keys, token, tally, this.lease);
		if (this.result.isDone() || !this.policy.mayAttempt()) {
			// The caller is not kept waiting for the undo: a wait bound is overrun by one round at most.
			fail();
			return;
		}
		this.state = State.UNDOING;
		undone.whenComplete((ignored, ex) -> this.events.run(this::undone));
	}

	/**
	 * Keeps a split's grants and re-asks the refusers after the yielding contenders' undo had
	 * time to land: half a round trip, doubling with each re-ask.
	 */
	private void keep(Tally tally, String token, long roundTrip) {
		this.kept = ((this.kept != null) ? this.kept : KeptGrants.first(tally, token)).reAsked(tally);
		this.state = State.KEEPING;
		long delay = (roundTrip / 2) << (this.kept.reAsks() - 1);
		long generation = ++this.sleepGeneration;
		try {
			this.timer = this.context.timers().schedule(() -> this.events.run(() -> reAsk(generation)), delay);
		}
		catch (RedlockException closed) {
			this.result.completeExceptionally(closed);
		}
	}

	private void undone() {
		if (this.result.isDone()) {
			return;
		}
		if (this.notifiedMeanwhile) {
			this.notifiedMeanwhile = false;
			afterWake();
		}
		else {
			// Subscribes to the keys' channels on the first wait, not before: an acquisition
			// that never waits would pay a subscription per lock for nothing.
			long sentAt = this.lastSentAt;
			CompletableFuture<Long> subscribed = this.context.notifications().listen(this.keys);
			sleep(this.policy.delayAfterFailure(), false);
			long generation = this.sleepGeneration;
			if (!subscribed.isDone() || subscribed.isCompletedExceptionally() || subscribed.join() - sentAt >= 0) {
				subscribed.thenAccept((since) -> {
					if (since - sentAt >= 0) {
						this.events.run(() -> peek(generation));
					}
				});
			}
		}
	}

	/**
	 * The subscription was confirmed after the failed attempt was sent, so a release in
	 * between went unheard: look whether a quorum of nodes has the keys free, and go if so.
	 * A peek is a read, not an attempt; it costs one command per node once per wait.
	 */
	private void peek(long generation) {
		if (!isPlainSleep(generation)) {
			return;
		}
		this.context.rounds()
			.peek(this.keys)
			.decided()
			.whenComplete((tally, ex) -> this.events.run(() -> {
				if (ex == null && tally.hasQuorum() && isPlainSleep(generation)) {
					notified();
				}
			}));
	}

	private boolean isPlainSleep(long generation) {
		return this.state == State.SLEEPING && !this.staggering && generation == this.sleepGeneration
				&& !this.result.isDone();
	}

	private void sleep(long delayNanos, boolean stagger) {
		this.state = State.SLEEPING;
		this.staggering = stagger;
		long generation = ++this.sleepGeneration;
		try {
			this.timer = this.context.timers().schedule(() -> this.events.run(() -> timerFired(generation)), delayNanos);
		}
		catch (RedlockException closed) {
			this.result.completeExceptionally(closed);
		}
	}

	private void timerFired(long generation) {
		if (this.state != State.SLEEPING || generation != this.sleepGeneration) {
			return;
		}
		if (this.policy.mayAttempt()) {
			attempt();
		}
		else {
			fail();
		}
	}

	@Override
	public boolean wake() {
		if (this.result.isDone()) {
			return false;
		}
		this.events.run(this::notified);
		return true;
	}

	private void notified() {
		switch (this.state) {
			case SLEEPING -> {
				if (!this.staggering) {
					wakeUp();
					afterWake();
				}
			}
			case ATTEMPTING, KEEPING, UNDOING -> this.notifiedMeanwhile = true;
			case DONE -> {
			}
		}
	}

	/** A release was heard: go now, or after a stagger if wake-ups were lost to other processes before. */
	private void afterWake() {
		if (!this.policy.mayAttempt()) {
			fail();
			return;
		}
		long stagger = probesNext() ? this.policy.delayBeforeProbe() : this.policy.delayAfterWake();
		this.woken = true;
		if (stagger == 0) {
			attempt();
		}
		else {
			sleep(stagger, true);
		}
	}

	/** Invalidates the pending timer; it may already be running, which its generation tells it. */
	private void wakeUp() {
		this.sleepGeneration++;
		if (this.timer != null) {
			this.timer.cancel(false);
		}
	}

	private void finished() {
		if (this.state == State.SLEEPING) {
			wakeUp();
		}
		if (this.state == State.KEEPING) {
			// Ended (cancelled, closed) while keeping a split's grants: they must go now.
			wakeUp();
			this.context.rounds().undo(this.keys, this.kept.token(), this.kept.tally(), this.lease);
			this.kept = null;
			this.state = State.DONE;
		}
		if (this.state != State.ATTEMPTING && this.state != State.UNDOING) {
			this.state = State.DONE;
		}
	}

	/** Out of attempts or time: fail with what the last attempt saw. */
	private void fail() {
		this.state = State.DONE;
		this.result.completeExceptionally(this.history.exception(this.resources, (int) this.policy.attempts()));
	}

	/** A bug or a closed Redlock must end the acquisition, never leave its caller waiting. */
	private void abort(Throwable ex) {
		this.state = State.DONE;
		Throwable cause = Futures.unwrap(ex);
		this.result.completeExceptionally((cause instanceof RedlockException redlock) ? redlock
				: new RedlockException("Acquisition of " + this.resources + " failed", cause));
	}

}
