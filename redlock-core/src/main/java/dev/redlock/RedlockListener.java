package dev.redlock;

/**
 * Hears about trouble without taking part in it: callbacks run on the Redlock's callback
 * executor (see {@link RedlockBuilder#callbackExecutor}), never on an I/O or timer thread, and
 * anything they throw is logged and ignored, so a listener can never break or delay a lock
 * operation.
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
	 * A held lock was found lost: its automatic extension failed, an extension or a check
	 * was refused by a quorum, or the Redlock was closed while it was extended automatically.
	 * @param lock the lost lock
	 * @param cause why it is considered lost
	 */
	default void onLockLost(LockHandle lock, RedlockException cause) {
	}

	/**
	 * A node is now a different server than before: it was restarted (without persistence it
	 * comes back empty, which the Redlock tolerates for a minority), failed over, or its
	 * address now points elsewhere. If it now is the same server as another node, it stops
	 * voting, and {@link #onClientError} says so.
	 * @param node the node, as shown in logs
	 * @param previousRunId the {@code run_id} the server reported before
	 * @param runId the {@code run_id} it reports now
	 */
	default void onNodeIdentityChanged(String node, String previousRunId, String runId) {
	}

}
