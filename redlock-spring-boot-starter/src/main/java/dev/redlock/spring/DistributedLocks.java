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
 *
 * @DistributedLock(key = "'account:' + #id")
 * public void credit(long id, long cents) {
 *     // The row refuses the write of a holder that paused past its ttl while another took over.
 *     jdbc.update("UPDATE account SET balance = balance + ?, fence = ? WHERE id = ? AND fence < ?",
 *             cents, DistributedLocks.fencingToken(), id, DistributedLocks.fencingToken());
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

	/**
	 * The fencing token of the innermost {@code @DistributedLock} method's lock on this thread:
	 * pass it with the writes the lock protects, so the store can refuse a stale holder's
	 * (see {@link LockHandle#fencingToken()}). The first call asks the nodes (two round trips);
	 * a method that never calls it pays nothing. For a lock on several keys, call
	 * {@code currentLock().orElseThrow().fencingToken(redisKey)}, the key with its
	 * {@code redlock.key-prefix}.
	 * @throws IllegalStateException outside a {@code @DistributedLock} method, or if its lock
	 * holds several keys
	 * @throws dev.redlock.RedlockException if the lock is lost, or a quorum of nodes could not
	 * confirm the token
	 */
	public static long fencingToken() {
		return currentLock().orElseThrow(() -> new IllegalStateException(
				"No @DistributedLock method is running on this thread, so there is no fencing token; call "
						+ "DistributedLocks.fencingToken() from the annotated method itself (in reactive pipelines, "
						+ "read LockHandle.class from the Reactor context)"))
			.fencingToken();
	}

}
