package dev.redlock.spring.boot;

/**
 * How locks and Spring-managed transactions work together, bound to
 * {@code redlock.transaction.*}: a group of {@link RedlockProperties}.
 */
public class RedlockTransactionProperties {

	/**
	 * Whether a @DistributedLock method called inside a transaction that began outside it
	 * keeps its lock until that transaction completes, so that its commit is protected too.
	 */
	private boolean holdUntilCompletion = true;

	/**
	 * Whether the check of a lock just before a transaction under it commits asks a quorum
	 * of the nodes, not only the lock's local state; costs one round trip per commit.
	 */
	private boolean checkNodes = false;

	public boolean isHoldUntilCompletion() {
		return this.holdUntilCompletion;
	}

	public void setHoldUntilCompletion(boolean holdUntilCompletion) {
		this.holdUntilCompletion = holdUntilCompletion;
	}

	public boolean isCheckNodes() {
		return this.checkNodes;
	}

	public void setCheckNodes(boolean checkNodes) {
		this.checkNodes = checkNodes;
	}

}
