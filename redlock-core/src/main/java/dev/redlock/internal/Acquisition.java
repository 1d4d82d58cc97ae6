package dev.redlock.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

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
 * {@link RetryPolicy}'s business, the grants kept across rounds the {@link KeptSplit}'s, and
 * the timers of the waits the {@link WaitPhase}'s.
 *
 * <pre>
 * ATTEMPTING --quorum, valid--> DONE (a lock)
 * ATTEMPTING (a retry: the designated node only) --granted--> ATTEMPTING (the other nodes)
 * ATTEMPTING --split, won the designated node--> KEEPING --timer--> ATTEMPTING (re-ask the refusers)
 * ATTEMPTING --failed--> UNDOING --undone--> SLEEPING --timer / notified / peeked free--> ATTEMPTING
 *                        (no attempt left: DONE, failed, undo finishing in the background)
 * any state --cancelled, closed--> DONE (a lock won meanwhile is released)
 * </pre>
 * A first attempt asks every node at once, and enters the key's waiting line where it loses
 * if its Redlock already hears the line's releases (see {@link WaitingLines}); a retry asks
 * the key's designated node first, and the others once it granted, so the waiters woken by
 * one release never split the vote among themselves. A notification that arrives while ATTEMPTING, KEEPING or UNDOING is kept, and
 * cuts the next sleep. Split votes with a first attempt are broken by {@link SplitRule}.
 */
final class Acquisition {

	private enum State {

		ATTEMPTING, KEEPING, UNDOING, SLEEPING, DONE

	}

	private final LockContext context;

	private final Settings settings;

	private final List<String> resources;

	private final String[] keys;

	private final Lease lease;

	private final int designated;

	private final RetryPolicy policy;

	private final AttemptHistory history;

	private final CompletableFuture<Lock> result = new CompletableFuture<>();

	private final SerialEvents events = new SerialEvents(this::abort);

	private final KeptSplit split;

	private final WaitPhase waits;

	private State state = State.ATTEMPTING;

	/**
	 * Each node's grant of the lock won, written before the result completes: the line is left
	 * where it did not grant, and the waiter keeps hearing its releases until all are in.
	 */
	private CompletableFuture<?>[] grants;

	/** The last attempt's claim as the key's line head, or {@code null} if it was another attempt. */
	private HeadClaim headClaim;

	/** Who held the key where the last round's claims were refused. */
	private LockHolders holders;

	/** Whether the last attempt was the head's of the key's line, named by the designated node. */
	private boolean namedAttempt;

	/** Whether the designated node failed the last attempt: then retries ask every node at once. */
	private boolean designatedFailed;

	Acquisition(LockContext context, Settings settings, List<String> resources, Lease lease) {
		this.context = context;
		this.settings = settings;
		this.resources = resources;
		this.keys = resources.toArray(String[]::new);
		this.lease = lease;
		this.designated = SplitRule.designated(this.keys, context.nodeCount());
		this.policy = RetryPolicy.startingNow(settings);
		this.history = new AttemptHistory(context.quorum());
		this.split = new KeptSplit(context.rounds(), this.keys, lease);
		this.waits = new WaitPhase(context, settings, this.keys, this.events, this.result, this::afterWake);
	}

	CompletableFuture<Lock> start() {
		if (this.policy.mayWait()) {
			this.waits.register();
		}
		this.result.whenComplete((lock, ex) -> {
			this.waits.end((lock != null) ? this.grants : null);
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
		// The head of the key's line, told so by a quorum, asks every node at once: no other
		// waiter may set the key, so there is no race to break on the designated node.
		boolean named = this.waits.takeNamed();
		this.namedAttempt = named;
		boolean probe = !named && probesNext();
		boolean entering = this.policy.attempts() == 0 && this.policy.mayWait() && this.waits.line().entersWithFirstAttempt();
		this.state = State.ATTEMPTING;
		this.policy.attemptStarted();
		String token = this.context.tokens().next();
		boolean byWake = this.waits.attemptSent();
		Rounds rounds = this.context.rounds();
		String lineId = this.waits.lineId();
		this.holders = new LockHolders(this.context.nodeCount());
		this.headClaim = (named && lineId != null && this.keys.length == 1)
				? this.waits.line().claimAsHead(token, this.lease.ttlMillis(), this.holders) : null;
		Tally round = (this.headClaim != null) ? this.headClaim.tally()
				: entering ? this.waits.line().takeOrEnter(token, this.lease.ttlMillis())
						: probe ? rounds.probe(this.keys, token, this.lease.ttlMillis(), this.designated, lineId, this.holders)
								: rounds.acquire(this.keys, token, this.lease.ttlMillis(), lineId, named, this.holders);
		whenDecided(round, token, byWake, probe);
	}

	/**
	 * Whether the next attempt asks the designated node alone first: every retry does, unless
	 * that node failed. Waiters racing for a released key then meet on one node, where one wins
	 * outright, instead of splitting the vote over all of them.
	 */
	private boolean probesNext() {
		return this.policy.attempts() > 0 && this.context.nodeCount() > 1 && !this.designatedFailed;
	}

	/** The timer of a kept split: re-ask the refusers, an attempt like any other. */
	private void reAsk() {
		if (this.state != State.KEEPING || this.result.isDone()) {
			return;
		}
		if (!this.policy.mayAttempt()) {
			this.split.undo();
			fail();
			return;
		}
		this.policy.attemptStarted();
		askTheRest();
	}

	private void askTheRest() {
		this.state = State.ATTEMPTING;
		this.headClaim = null;
		this.holders = new LockHolders(this.context.nodeCount());
		this.waits.reAskSent();
		whenDecided(this.split.askTheRest(this.waits.lineId(), this.namedAttempt, this.holders), this.split.token(), false,
				false);
	}

	private void whenDecided(Tally round, String token, boolean byWake, boolean probe) {
		round.decided().whenComplete((tally, ex) -> this.events.run(() -> decided(tally, token, byWake, probe, ex)));
	}

	private void decided(Tally tally, String token, boolean byWake, boolean probe, Throwable error) {
		if (error != null) {
			abort(error);
			return;
		}
		long validUntil = this.split.validUntil(tally);
		long now = System.nanoTime();
		if (tally.hasQuorum() && validUntil - now > 0) {
			won(tally, token, validUntil);
			return;
		}
		List<NodeVote> votes = tally.votes();
		Vote atDesignated = votes.get(this.designated).vote();
		this.designatedFailed = atDesignated == Vote.FAILED;
		if (probe && atDesignated == Vote.GRANTED && !this.result.isDone() && validUntil - now > 0
				&& this.policy.beforeDeadline()) {
			// The second half of the same attempt: no other waiter can win the key now.
			this.split.keepProbe(tally, token);
			askTheRest();
			return;
		}
		// Not a split: one lock holds the key where this attempt could not win, and a release
		// will wake this waiter. If it is the lock whose release woke it, that release is on
		// its way there: keeping the grants, as for a split, lets a re-ask meet it landed.
		boolean lockedOut = this.holders.lockOut(this.context.quorum(), null);
		boolean byAnotherOwner = this.holders.lockOut(this.context.quorum(), this.waits.lastReleased());
		takeIn(tally, votes, byWake, lockedOut);
		if (!this.result.isDone() && this.policy.mayAttempt() && !byAnotherOwner
				&& this.split.keeps(tally, votes, this.designated, validUntil - now)) {
			this.state = State.KEEPING;
			this.waits.keep(this.split.keep(tally, token), this::reAsk);
			return;
		}
		this.split.forget();
		CompletableFuture<Void> undone = this.context.rounds().undo(this.keys, token, tally, this.lease);
		if (this.result.isDone() || !this.policy.mayAttempt()) {
			// The caller is not kept waiting for the undo: a wait bound is overrun by one round at most.
			fail();
			return;
		}
		this.state = State.UNDOING;
		undone.whenComplete((ignored, ex) -> this.events.run(this::undone));
	}

	private void won(Tally tally, String token, long validUntil) {
		this.split.forget();
		RedlockLock lock = new RedlockLock(this.context, this.settings, this.resources, token, this.lease, validUntil, tally);
		if (this.headClaim != null) {
			this.grants = this.headClaim.grants(lock);
			lock.lastReplies(this.grants);
		}
		else {
			this.grants = tally.replies();
		}
		this.state = State.DONE;
		if (!this.result.complete(lock)) {
			// The caller gave up (interrupted, cancelled, closed) while this attempt was out.
			lock.releasing();
		}
	}

	/** A failed round: for the caller's exception, the wake-ups, and the retry policy. */
	private void takeIn(Tally tally, List<NodeVote> votes, boolean byWake, boolean lockedOut) {
		this.history.failed(new AcquisitionAttempt((int) this.policy.attempts(), votes, Duration.ofNanos(tally.elapsedNanos())));
		this.context.notifications().voted(votes);
		this.policy.attemptFailed(tally.count(Vote.GRANTED), tally.count(Vote.REFUSED), this.context.quorum(),
				tally.elapsedNanos(), byWake, SplitRule.yields(votes, this.designated), tally.count(Vote.NOT_ASKED) > 0,
				lockedOut);
	}

	private void undone() {
		if (this.result.isDone()) {
			return;
		}
		if (this.waits.takeNotifiedMeanwhile()) {
			afterWake();
		}
		else {
			this.state = State.SLEEPING;
			this.waits.sleep(this.policy.delayAfterFailure(), this::sleepEnded);
		}
	}

	private void sleepEnded() {
		if (this.state != State.SLEEPING) {
			return;
		}
		if (this.policy.mayAttempt()) {
			attempt();
		}
		else {
			fail();
		}
	}

	/**
	 * A release was heard: go now, or after a stagger if wake-ups were lost to other processes
	 * before. The head of the key's line goes now: the key is reserved for it.
	 */
	private void afterWake() {
		if (!this.policy.mayAttempt()) {
			fail();
			return;
		}
		if (this.waits.named()) {
			this.waits.woke();
			attempt();
			return;
		}
		long stagger = probesNext() ? this.policy.delayBeforeProbe() : this.policy.delayAfterWake();
		this.waits.woke();
		if (stagger == 0) {
			attempt();
		}
		else {
			this.state = State.SLEEPING;
			this.waits.stagger(stagger, this::sleepEnded);
		}
	}

	private void finished() {
		if (this.state == State.SLEEPING || this.state == State.KEEPING) {
			this.waits.cut();
			if (this.state == State.KEEPING) {
				// Ended (cancelled, closed) while keeping a split's grants: they must go now.
				this.split.undo();
			}
			this.state = State.DONE;
		}
		// ATTEMPTING or UNDOING: the round or undo still out ends by itself, and sees the result done.
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
