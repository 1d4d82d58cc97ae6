package dev.redlock.spring.metrics;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import dev.redlock.LockHandle;
import io.micrometer.core.instrument.LongTaskTimer;

/**
 * One lock counted in {@code redlock.held}, for as long as it is held: the sample stops when the
 * lock is released, lost, or when its validity runs out. The last needs a check of its own: a
 * lock acquired without automatic extension and never released just expires, and neither the
 * core nor the starter has an event for that. So the lock is looked at when its validity is due
 * to end, and again at each new end for as long as extensions keep it held.
 *
 * <p>
 * The check is the timeout of a {@link CompletableFuture}: it waits on the JDK's one shared
 * delay thread, not on a thread per lock, and a sample stopped first completes the future,
 * which cancels the timeout and takes it off that thread's queue, so a released lock leaves no
 * task behind. What runs on that thread is two reads of the lock's local state, the sample's
 * stop and a map removal: never user code, never a wait.
 */
final class HeldSample {

	/** The shortest wait before a check, so that one finding the lock held a moment longer does not spin. */
	private static final long MIN_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	private final LockHandle lock;

	private final LongTaskTimer.Sample sample;

	private final Consumer<HeldSample> onExpiry;

	private final AtomicBoolean stopped = new AtomicBoolean();

	/** The pending check; completing it cancels it. */
	private volatile CompletableFuture<Void> check;

	private HeldSample(LockHandle lock, LongTaskTimer.Sample sample, Consumer<HeldSample> onExpiry) {
		this.lock = lock;
		this.sample = sample;
		this.onExpiry = onExpiry;
	}

	/** Starts counting {@code lock} in {@code timer}. */
	static HeldSample start(LongTaskTimer timer, LockHandle lock) {
		return start(timer, lock, (expired) -> {
		});
	}

	/**
	 * Starts counting {@code lock} in {@code timer}.
	 * @param onExpiry given this sample, once, if it stops because the lock stopped being held
	 * on its own (lost, or its validity ran out), not when {@link #stop()} is called
	 */
	static HeldSample start(LongTaskTimer timer, LockHandle lock, Consumer<HeldSample> onExpiry) {
		HeldSample held = new HeldSample(lock, timer.start(), onExpiry);
		lock.onLost((cause) -> held.expired());
		held.checkWhenValidityEnds();
		return held;
	}

	/** Stops counting the lock, released by its holder; once, later calls do nothing. */
	void stop() {
		stopOnce();
	}

	private boolean stopOnce() {
		if (!this.stopped.compareAndSet(false, true)) {
			return false;
		}
		this.sample.stop();
		CompletableFuture<Void> check = this.check;
		if (check != null) {
			check.complete(null);
		}
		return true;
	}

	private void checkWhenValidityEnds() {
		CompletableFuture<Void> next = new CompletableFuture<>();
		this.check = next;
		long delay = Math.max(this.lock.remainingValidity().toNanos(), MIN_CHECK_NANOS);
		next.orTimeout(delay, TimeUnit.NANOSECONDS).whenComplete((ignored, timeout) -> {
			if (timeout != null) {
				validityEnded();
			}
		});
		// Stopped while this check was being set up, after stop() read the previous one: cancel it too.
		if (this.stopped.get()) {
			next.complete(null);
		}
	}

	private void validityEnded() {
		if (this.lock.isHeld()) {
			// Extended meanwhile, automatically or not: look again when the new validity ends.
			checkWhenValidityEnds();
		}
		else {
			expired();
		}
	}

	private void expired() {
		if (stopOnce()) {
			this.onExpiry.accept(this);
		}
	}

}
