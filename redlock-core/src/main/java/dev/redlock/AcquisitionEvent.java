package dev.redlock;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How one acquisition ended, as {@link RedlockListener#onAcquisition} hears it: for meters of
 * how long callers wait and how often they give up, and for tools that list the locks held.
 * Every {@code acquire}, {@code tryAcquire} and {@code using} call (blocking or not) that
 * reaches the nodes gives exactly one; a call refused before that (invalid arguments, a
 * closed Redlock) gives none.
 *
 * @param resources the resources asked for, as given
 * @param options the options of the call, {@link LockOptions#defaults()} when none were given
 * (the same instance the caller passed, so that a caller can recognise its own calls)
 * @param lock the lock, or {@code null} if none was acquired
 * @param failure why none was acquired, or {@code null} if one was: a
 * {@link LockAcquisitionException} (its {@link LockAcquisitionException#reason() reason} and
 * {@link LockAcquisitionException#attemptCount() attempts}), or anything else that ended the
 * acquisition (the Redlock closed, the caller was interrupted or cancelled)
 * @param waited how long the acquisition took, by the monotonic clock
 */
public record AcquisitionEvent(List<String> resources, LockOptions options, LockHandle lock, Throwable failure,
		Duration waited) {

	/** Whether a lock was acquired. */
	public boolean acquired() {
		return this.lock != null;
	}

	/** The lock, if one was acquired. */
	public Optional<LockHandle> heldLock() {
		return Optional.ofNullable(this.lock);
	}

	/**
	 * Why no lock was acquired, if the nodes said so: empty for an acquired lock and for an
	 * acquisition ended by something else (see {@link #failure()}).
	 */
	public Optional<LockAcquisitionException.Reason> reason() {
		return (this.failure instanceof LockAcquisitionException acquisition) ? Optional.of(acquisition.reason())
				: Optional.empty();
	}

}
