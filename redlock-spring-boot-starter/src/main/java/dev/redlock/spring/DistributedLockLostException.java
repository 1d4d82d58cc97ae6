package dev.redlock.spring;

import java.util.List;

import dev.redlock.RedlockException;

/**
 * The lock of a {@link DistributedLock @DistributedLock} method or a
 * {@link DistributedLockTemplate} call was lost before its work was done: a transaction begun
 * under the lock is rolled back with it, and work stopped by {@link OnLost#INTERRUPT} ends with
 * it. The cause, when there is one, says why the lock was lost.
 */
public class DistributedLockLostException extends RedlockException {

	private final List<String> keys;

	/**
	 * @param keys the Redis keys of the lost lock
	 * @param message what was lost and what it means for the work
	 * @param cause why the lock was lost, or {@code null}
	 */
	public DistributedLockLostException(List<String> keys, String message, Throwable cause) {
		super(message, cause);
		this.keys = List.copyOf(keys);
	}

	/** The Redis keys of the lost lock, prefix included. */
	public List<String> getKeys() {
		return this.keys;
	}

}
