package dev.redlock.spring.internal;

import java.util.List;

import dev.redlock.Lock;
import dev.redlock.RedlockException;
import dev.redlock.spring.DistributedLockLostException;

import org.springframework.core.Ordered;
import org.springframework.transaction.support.TransactionSynchronization;

/**
 * Checks, just before a transaction commits, that the locks it runs under are still held,
 * and throws otherwise, which rolls the transaction back; releases the locks kept until the
 * transaction completes.
 */
final class LockTransactionSynchronization implements TransactionSynchronization {

	private final List<HeldLock> checked;

	private final boolean checkNodes;

	private final Runnable afterCompletion;

	/**
	 * @param checked the locks the commit needs
	 * @param checkNodes whether to ask the nodes too, not only the local state
	 * @param afterCompletion what to do once the transaction completed, or {@code null}
	 */
	LockTransactionSynchronization(List<HeldLock> checked, boolean checkNodes, Runnable afterCompletion) {
		this.checked = List.copyOf(checked);
		this.checkNodes = checkNodes;
		this.afterCompletion = afterCompletion;
	}

	/** Last, so that whatever other synchronizations flush has been written already. */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void beforeCommit(boolean readOnly) {
		for (HeldLock held : this.checked) {
			verify(held);
		}
	}

	private void verify(HeldLock held) {
		Lock lock = held.lock();
		if (!lock.isHeld()) {
			RedlockException cause = null;
			try {
				lock.throwIfLost();
			}
			catch (RedlockException ex) {
				cause = ex;
			}
			throw lost(held, "", cause);
		}
		if (this.checkNodes && !lock.check()) {
			// A quorum did not confirm this lock's token in time, or holds another one.
			throw lost(held, ", as the nodes answer,", null);
		}
	}

	private static DistributedLockLostException lost(HeldLock held, String how, RedlockException cause) {
		return new DistributedLockLostException(held.keys(), "Lost the distributed lock on " + held.keys() + how
				+ " before the transaction of " + held.description() + " committed; the transaction is rolled back"
				+ ((cause != null) ? ": " + cause.getMessage() : ""), cause);
	}

	@Override
	public void afterCompletion(int status) {
		if (this.afterCompletion != null) {
			this.afterCompletion.run();
		}
	}

}
