package dev.redlock.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import dev.redlock.RedlockException;

/**
 * The one wait of an {@link Acquisition} at a time: a timer on the shared scheduler whose end
 * comes back as an event through the acquisition's {@link SerialEvents}. A wait cut short (by
 * a release notification, or the end of the acquisition) leaves a generation behind that tells
 * its timer, should it already run, that it is stale: {@code ScheduledFuture.cancel(false)}
 * also succeeds for a running task. Used from the acquisition's events only, so it needs no
 * lock.
 */
final class WaitTimer {

	/**
	 * What a wait is for: a release cuts a sleep short, is kept for the next sleep during a
	 * re-ask's pause, and leaves a stagger alone; a settling wait ends early when a quorum
	 * names its waiter.
	 */
	enum Kind {

		SLEEP, STAGGER, RE_ASK, SETTLE

	}

	private final Timers timers;

	private final SerialEvents events;

	private final CompletableFuture<?> result;

	private long generation;

	private Future<?> timer;

	/** Whether a wait is on: started, and neither ended nor cut short. */
	private boolean waiting;

	private Kind kind;

	/** @param result completed with the reason when the Redlock is closed and a wait cannot start */
	WaitTimer(Timers timers, SerialEvents events, CompletableFuture<?> result) {
		this.timers = timers;
		this.events = events;
		this.result = result;
	}

	/**
	 * Starts a wait: {@code onEnd} runs as an event when it is over, unless it was cut short first.
	 * @return the wait's generation, for {@link #isOn}
	 */
	long start(Kind kind, long delayNanos, Runnable onEnd) {
		this.waiting = true;
		this.kind = kind;
		long started = ++this.generation;
		try {
			this.timer = this.timers.schedule(() -> this.events.run(() -> {
				if (isOn(started)) {
					this.waiting = false;
					onEnd.run();
				}
			}), delayNanos);
		}
		catch (RedlockException closed) {
			this.result.completeExceptionally(closed);
		}
		return started;
	}

	/** Cuts the wait on short: its timer, should it fire still, does nothing. */
	void cut() {
		this.waiting = false;
		this.generation++;
		if (this.timer != null) {
			this.timer.cancel(false);
		}
	}

	/** Whether a wait is on. */
	boolean isWaiting() {
		return this.waiting;
	}

	/** Whether a wait of this kind is on. */
	boolean isWaiting(Kind kind) {
		return this.waiting && this.kind == kind;
	}

	/** Whether the wait of that generation is still on, and of this kind. */
	boolean isOn(long generation, Kind kind) {
		return isOn(generation) && this.kind == kind;
	}

	private boolean isOn(long generation) {
		return this.waiting && generation == this.generation;
	}

}
