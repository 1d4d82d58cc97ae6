package dev.redlock.internal;

import java.util.concurrent.CompletableFuture;

import dev.redlock.internal.ReleaseNotifications.Wake;
import dev.redlock.internal.WaitTimer.Kind;

/**
 * The waits of one {@link Acquisition}, and the release notifications that cut them short:
 * the sleep after a failed attempt, the stagger after a wake-up, the pause before a kept
 * split's re-ask, and the settling wait of a line's head that only the key's designated node
 * has named yet. Each is one {@link WaitTimer}; its end, like every notification, comes back
 * as an event through the acquisition's {@link SerialEvents}.
 *
 * <p>
 * Also what a wait needs to know of the attempts around it: whether a release was heard
 * while no wait was on (the next sleep is then skipped), whether an attempt was started by a
 * wake-up, and when the last attempt was sent, since a subscription confirmed after that may
 * have missed a release (see {@link #sleep}). Used from the acquisition's events only, so it
 * needs no lock.
 */
final class WaitPhase implements ReleaseWaiter {

	/**
	 * How long the head of a line waits, once the key's designated node reserved the key for
	 * it, for a quorum to say so too, before it claims anyway: the other nodes may have another
	 * head, and then they never will.
	 */
	private static final long SETTLE_NANOS = 1_000_000L;

	private final LockContext context;

	private final String[] keys;

	private final SerialEvents events;

	private final CompletableFuture<?> result;

	private final Runnable onWake;

	private final WaitTimer wait;

	private boolean notifiedMeanwhile;

	/** The release this waiter last woke or was kept notified for; {@code null} for one of its own finding. */
	private Release lastRelease;

	private boolean woken;

	private long lastSentAt;

	/** Whether a quorum of nodes reserved the key for this waiter since the last attempt. */
	private boolean named;

	private final LineWaiter line;

	/**
	 * @param result the acquisition's result: completed with the reason when the Redlock is
	 * closed and a wait cannot start; once done, nothing wakes the acquisition any more
	 * @param onWake run as an event when a release cuts a sleep short
	 */
	WaitPhase(LockContext context, Settings settings, String[] keys, SerialEvents events, CompletableFuture<?> result,
			Runnable onWake) {
		this.context = context;
		this.keys = keys;
		this.events = events;
		this.result = result;
		this.onWake = onWake;
		this.line = new LineWaiter(context, settings, keys);
		this.wait = new WaitTimer(context.timers(), events, result);
	}

	/** Listens for the keys' release notifications, until {@link #end}. */
	void register() {
		this.context.notifications().register(this, this.keys);
	}

	/**
	 * Ends the wait of an acquisition that won with {@code grants} (each node's grant of the
	 * lock), or {@code null} if it did not: leaves the key's waiting lines on every node that
	 * did not grant (a grant took the waiter out), and stops listening once every node had its
	 * last word, since a node a lock still held may yet reserve the key for it (see
	 * {@link HeadClaim}).
	 */
	void end(CompletableFuture<?>[] grants) {
		this.line.leave(grants);
		if (grants == null) {
			unregister();
		}
		else {
			CompletableFuture.allOf(grants).whenComplete((all, failed) -> unregister());
		}
	}

	private void unregister() {
		this.context.notifications().unregister(this, this.keys);
	}

	@Override
	public boolean wake(Wake why, String key, String release) {
		if (this.result.isDone()) {
			return false;
		}
		this.events.run(() -> heard(why, new Release(key, release)));
		return true;
	}

	/** The acquisition's place in the key's waiting lines. */
	LineWaiter line() {
		return this.line;
	}

	@Override
	public String lineId() {
		return this.line.id();
	}

	@Override
	public void reservedBy(int node) {
		this.line.reservedBy(node);
	}

	/** The token of the lock whose release last woke this waiter; {@code null} if none did. */
	String lastReleased() {
		return (this.lastRelease != null) ? this.lastRelease.token() : null;
	}

	/** Whether a quorum reserved the key for this waiter since its last attempt. */
	boolean named() {
		return this.named;
	}

	/** Whether the last wake-up came from the key reserved for this waiter: its attempt then goes at once, to every node. */
	boolean takeNamed() {
		boolean was = this.named;
		this.named = false;
		return was;
	}

	/** Waits before a kept split's re-ask; a release heard meanwhile is kept for the next sleep. */
	void keep(long delayNanos, Runnable onEnd) {
		this.wait.start(Kind.RE_ASK, delayNanos, onEnd);
	}

	/** Waits after a wake-up before trying, to let a waiter that lost fewer wake-ups go first; not cut by releases. */
	void stagger(long delayNanos, Runnable onEnd) {
		this.wait.start(Kind.STAGGER, delayNanos, onEnd);
	}

	/**
	 * Sleeps after a failed attempt, subscribing to the keys' channels on the first sleep, not
	 * before: an acquisition that never waits would pay a subscription per lock for nothing.
	 * When the subscription is confirmed after the failed attempt was sent, a release in between
	 * went unheard: then the nodes are peeked at, and a quorum that has the keys free counts as
	 * a release heard, while this sleep is still on. A peek is a read, not an attempt; it costs one
	 * command per node once per sleep.
	 */
	void sleep(long delayNanos, Runnable onEnd) {
		long sentAt = this.lastSentAt;
		String lineId = this.line.prepare();
		CompletableFuture<Long> subscribed = this.context.notifications().listen(this, this.keys, lineId);
		long generation = this.wait.start(Kind.SLEEP, delayNanos, onEnd);
		if (lineId != null) {
			if (this.line.takeEnteredByAttempt()) {
				// The attempt entered the line, subscribed already: nothing went unheard.
				return;
			}
			// Entered once subscribed: a release before the entry is seen by it, one after it is heard.
			subscribed.thenAccept((since) -> this.events.run(() -> enterLine(generation)));
			return;
		}
		if (!subscribed.isDone() || subscribed.isCompletedExceptionally() || subscribed.join() - sentAt >= 0) {
			subscribed.thenAccept((since) -> {
				if (since - sentAt >= 0) {
					this.events.run(() -> peek(generation));
				}
			});
		}
	}

	private void enterLine(long generation) {
		if (!isPlainSleep(generation)) {
			return;
		}
		this.line.enter().whenComplete((entry, ex) -> this.events.run(() -> {
			if (ex != null || !isPlainSleep(generation)) {
				return;
			}
			if (!entry.lined()) {
				// Not in any line (no node answered, or none keeps lines): free releases are
				// told on the key's channel.
				this.context.notifications().listen(this, this.keys, null)
					.thenAccept((since) -> this.events.run(() -> peek(generation)));
			}
			else if (entry.free()) {
				heard(entry.reserved() ? Wake.RESERVED_BY_A_QUORUM : Wake.RELEASED, null);
			}
		}));
	}

	private void peek(long generation) {
		if (!isPlainSleep(generation)) {
			return;
		}
		this.context.rounds()
			.peek(this.keys)
			.decided()
			.whenComplete((tally, ex) -> this.events.run(() -> {
				if (ex == null && tally.hasQuorum() && isPlainSleep(generation)) {
					heard(Wake.RELEASED, null);
				}
			}));
	}

	/**
	 * A release was heard: it cuts a sleep short and wakes the acquisition, or is kept for the
	 * next sleep while an attempt, an undo or a re-ask's pause is under way. A stagger goes on:
	 * it already follows a wake-up.
	 */
	private void heard(Wake why, Release release) {
		if (this.result.isDone()
				|| (why == Wake.RELEASED && release != null && release.isTheSameOnAnotherKeyAs(this.lastRelease))) {
			// A lock on several of this waiter's keys is told of once per key: it was one release.
			// Told again for the same key, it is news: another node has released it since.
			return;
		}
		boolean named = why != Wake.RELEASED;
		this.named |= named;
		if (why == Wake.RESERVED_BY_THE_DESIGNATED_NODE && this.wait.isWaiting(Kind.SLEEP)) {
			this.lastRelease = release;
			this.wait.cut();
			this.wait.start(Kind.SETTLE, SETTLE_NANOS, this.onWake);
			return;
		}
		if (this.wait.isWaiting(Kind.SLEEP)
				|| (named && (this.wait.isWaiting(Kind.STAGGER) || this.wait.isWaiting(Kind.SETTLE)))) {
			this.lastRelease = release;
			this.wait.cut();
			this.onWake.run();
		}
		else if (!this.wait.isWaiting() || this.wait.isWaiting(Kind.RE_ASK)) {
			this.lastRelease = release;
			this.notifiedMeanwhile = true;
		}
	}

	/** A release told by the nodes: the key it was told for, and the released lock's token. */
	private record Release(String key, String token) {

		boolean isTheSameOnAnotherKeyAs(Release other) {
			return other != null && this.token.equals(other.token) && !this.key.equals(other.key);
		}

	}

	/** Cuts the wait on short: its timer, should it fire still, does nothing. */
	void cut() {
		this.wait.cut();
	}

	/** Whether a release was heard since the last call: then there is no sleeping now. */
	boolean takeNotifiedMeanwhile() {
		boolean notified = this.notifiedMeanwhile;
		this.notifiedMeanwhile = false;
		return notified;
	}

	/** The next attempt is started by a wake-up. */
	void woke() {
		this.woken = true;
	}

	/**
	 * Notes that an attempt is sent now.
	 * @return whether a wake-up started it
	 */
	boolean attemptSent() {
		reAskSent();
		boolean byWake = this.woken;
		this.woken = false;
		return byWake;
	}

	/** Notes that a re-ask, the second half of an attempt, is sent now. */
	void reAskSent() {
		this.lastSentAt = System.nanoTime();
	}

	private boolean isPlainSleep(long generation) {
		return this.wait.isOn(generation, Kind.SLEEP);
	}

}
