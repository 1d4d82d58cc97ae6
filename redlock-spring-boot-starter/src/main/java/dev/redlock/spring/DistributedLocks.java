package dev.redlock.spring;

import java.util.Optional;

import dev.redlock.LockHandle;
import dev.redlock.spring.internal.HeldLock;
import dev.redlock.spring.internal.HeldLocks;

/**
 * The locks held by {@link DistributedLock @DistributedLock} methods running on the current
 * thread.
 *
 * <pre>{@code
 * @DistributedLock(key = "'ledger:' + #day")
 * public void closeDay(LocalDate day) {
 *     Ledger ledger = compute(day);
 *     // The lock may have been lost while computing: do not write after someone else took over.
 *     DistributedLocks.currentLock().ifPresent(LockHandle::throwIfLost);
 *     save(ledger);
 * }
 * }</pre>
 */
public final class DistributedLocks {

	private DistributedLocks() {
	}

	/**
	 * The lock of the innermost {@code @DistributedLock} method (or
	 * {@link DistributedLockTemplate} call) running on this thread, for the synchronous part of
	 * its call: it tells whether the lock is still held ({@link LockHandle#isHeld()}) and throws
	 * if it was lost ({@link LockHandle#throwIfLost()}). Empty outside such a method, and in
	 * reactive pipelines, which find the handle in the Reactor context under the key
	 * {@code LockHandle.class}.
	 */
	public static Optional<LockHandle> currentLock() {
		HeldLock held = HeldLocks.innermost();
		return (held != null) ? Optional.of(held.lock()) : Optional.empty();
	}

}
