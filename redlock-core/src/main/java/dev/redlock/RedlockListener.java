package dev.redlock;

import java.time.Duration;

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
	 * An acquisition ended, with a lock or without: one event for every {@code acquire},
	 * {@code tryAcquire} and {@code using} call, blocking or not, that reached the nodes. A
	 * lock acquired here is followed by one {@link #onLockEnded} when it is released or lost.
	 * The two may be delivered in either order when the lock is released at once: a listener
	 * that keeps state per lock checks {@link LockHandle#isHeld()}.
	 * @param event the resources, the outcome, and how long the caller waited
	 */
	default void onAcquisition(AcquisitionEvent event) {
	}

	/**
	 * A lock acquired before is no longer held: it was released, or found lost (after
	 * {@link #onLockLost}). Once per lock, whichever comes first. A lock that is neither
	 * released nor found lost (its holder forgot it, and it was not extended automatically)
	 * expires on the nodes without this event.
	 * @param lock the lock
	 * @param held how long it was held, from its acquisition, by the monotonic clock
	 */
	default void onLockEnded(LockHandle lock, Duration held) {
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
	 * An extension of a held lock was decided, automatic or asked for: {@code failure} is
	 * {@code null} when a quorum confirmed it, else why it failed (a failed automatic
	 * extension is retried while the lock is still valid, so a failure is not a loss; a loss
	 * is reported by {@link #onLockLost}). For metrics and for tools that show what the locks
	 * do.
	 * @param lock the lock
	 * @param failure why the extension failed, or {@code null} if it succeeded
	 */
	default void onLockExtended(LockHandle lock, RedlockException failure) {
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
