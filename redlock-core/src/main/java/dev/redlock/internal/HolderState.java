package dev.redlock.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import dev.redlock.RedlockException;

/**
 * Whether a lock is held, released or lost, and who to tell when it is lost. The state only
 * ever moves from HELD to LOST or RELEASED, by compare-and-set, so a release, a loss and a late
 * extension can race without harm; callbacks registered after the loss run at once.
 */
final class HolderState {

	enum State {

		HELD, LOST, RELEASED

	}

	private final AtomicReference<State> state = new AtomicReference<>(State.HELD);

	private final List<Consumer<? super RedlockException>> lossCallbacks = new ArrayList<>();

	private volatile RedlockException lossCause;

	private final CompletableFuture<Void> ended = new CompletableFuture<>();

	boolean isHeld() {
		return this.state.get() == State.HELD;
	}

	/** Moves to RELEASED; returns the state before, so that only the first release acts. */
	State release() {
		State before = this.state.getAndSet(State.RELEASED);
		this.ended.complete(null);
		return before;
	}

	/** Completes when the lock is released or lost, on the thread that found it so. */
	CompletableFuture<Void> ended() {
		return this.ended;
	}

	/**
	 * Moves from HELD to LOST, once.
	 * @return the callbacks to tell, or {@code null} if the lock was not held
	 */
	List<Consumer<? super RedlockException>> lose(RedlockException cause) {
		if (!this.state.compareAndSet(State.HELD, State.LOST)) {
			return null;
		}
		this.ended.complete(null);
		synchronized (this.lossCallbacks) {
			this.lossCause = cause;
			List<Consumer<? super RedlockException>> callbacks = List.copyOf(this.lossCallbacks);
			this.lossCallbacks.clear();
			return callbacks;
		}
	}

	/**
	 * Keeps {@code callback} for a loss to come.
	 * @return the loss cause if the lock is already lost (the callback was not kept), else {@code null}
	 */
	RedlockException onLost(Consumer<? super RedlockException> callback) {
		synchronized (this.lossCallbacks) {
			if (this.lossCause == null) {
				this.lossCallbacks.add(callback);
			}
			return this.lossCause;
		}
	}

	RedlockException lossCause() {
		return this.lossCause;
	}

	/** For messages: what a lock that is not held is. */
	String describe() {
		return switch (this.state.get()) {
			case RELEASED -> "released";
			case LOST -> "lost";
			case HELD -> "expired";
		};
	}

}
