package dev.redlock.spring;

import dev.redlock.LockHandle;

/**
 * Work that a {@link DistributedLockTemplate} runs under a lock and that needs the lock
 * itself: its fencing token, to pass with the writes the lock protects, or a check that it
 * is still held before a commit. In the style of Spring's {@code TransactionCallback}.
 *
 * <pre>{@code
 * template.execute("account:" + id, Duration.ofSeconds(10), (lock) ->
 *     jdbc.update("UPDATE account SET balance = ?, fence = ? WHERE id = ? AND fence < ?",
 *             balance, lock.fencingToken(), id, lock.fencingToken()));
 * }</pre>
 *
 * @param <T> what the work returns
 * @see DistributedLockTemplate#execute(String, java.time.Duration, DistributedLockCallback)
 */
@FunctionalInterface
public interface DistributedLockCallback<T> {

	/**
	 * Does the work while {@code lock} is held.
	 * @param lock the held lock: the call's own, or, for a call joining a lock its thread
	 * already holds on the same keys, that enclosing lock. The same handle as
	 * {@link DistributedLocks#currentLock()} in the callback. Valid only until the callback
	 * returns; the template releases it.
	 * @return the result, handed back by the template
	 */
	T doWithLock(LockHandle lock);

}
