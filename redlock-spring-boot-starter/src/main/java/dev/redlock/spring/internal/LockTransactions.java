package dev.redlock.spring.internal;

import java.util.List;
import java.util.function.Consumer;

import dev.redlock.Lock;

import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Ties locks to Spring-managed transactions of the current thread. Only loaded where
 * {@code spring-tx} is on the classpath.
 */
public final class LockTransactions {

	private LockTransactions() {
	}

	/**
	 * If the thread runs a transaction, keeps {@code held} until it completes: checked before
	 * its commit, released after its completion, and joined by nested calls meanwhile.
	 * @param held the lock of a call that has not released it yet
	 * @param checkNodes whether the check before commit asks the nodes too
	 * @param release releases the lock once the transaction completed
	 * @return whether the lock is now the transaction's to release
	 */
	public static boolean holdUntilCompletion(HeldLock held, boolean checkNodes, Consumer<Lock> release) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()
				|| !TransactionSynchronizationManager.isActualTransactionActive()) {
			return false;
		}
		List<HeldLock> kept = HeldLocks.keepUntilCompletion(held);
		TransactionSynchronizationManager.registerSynchronization(
				new LockTransactionSynchronization(List.of(held), checkNodes, () -> {
					kept.remove(held);
					HeldLocks.forgetCompleted();
					release.accept(held.lock());
				}));
		return true;
	}

	/**
	 * Has the transaction that just began on this thread check every lock the thread holds
	 * before it commits.
	 */
	static void checkBeforeCommit(boolean checkNodes) {
		List<HeldLock> held = HeldLocks.all();
		if (!held.isEmpty() && TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager
				.registerSynchronization(new LockTransactionSynchronization(held, checkNodes, null));
		}
	}

}
