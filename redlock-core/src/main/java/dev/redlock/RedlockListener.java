package dev.redlock;

/**
 * Hears about trouble without taking part in it: callbacks run on I/O or scheduler threads,
 * must return quickly and must not block, and anything they throw is logged and ignored, so
 * a listener can never break a lock operation.
 */
public interface RedlockListener {

	/**
	 * A node answered an operation with an error, timed out, or could not be reached
	 * (node-redlock's {@code clientError} event).
	 * @param node the node, as shown in logs
	 * @param error what went wrong
	 */
	default void onClientError(String node, Throwable error) {
	}

	/**
	 * A held lock was found lost: its automatic extension failed, or an extension was
	 * refused by a quorum.
	 * @param lock the lost lock
	 * @param cause why it is considered lost
	 */
	default void onLockLost(LockHandle lock, RedlockException cause) {
	}

}
