package dev.redlock.spring;

import java.util.List;
import java.util.concurrent.CompletionStage;

import dev.redlock.Lock;
import dev.redlock.LockAcquisitionException;
import dev.redlock.Redlock;
import dev.redlock.spring.DistributedLockSupport.Invocation;
import dev.redlock.spring.internal.HeldLock;
import dev.redlock.spring.internal.HeldLocks;
import dev.redlock.spring.internal.LockTransactions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.ClassUtils;

/**
 * The locking of a locked call, whatever it returns: join the lock its thread already holds or
 * acquire one, with the observers told; keep it extended and report its loss; leave it to the
 * thread's transaction or release it. {@link BlockingLocking}, {@link CompletionStageLocking}
 * and {@link ReactiveLocking} decide when each step happens for their kind of result.
 */
final class LockLifecycle {

	/** The category these messages have always been logged under, which applications may configure. */
	private static final Log logger = LogFactory.getLog(DistributedLockSupport.class);

	private static final boolean transactionsPresent = ClassUtils.isPresent(
			"org.springframework.transaction.support.TransactionSynchronizationManager",
			LockLifecycle.class.getClassLoader());

	private final Redlock redlock;

	private final LostLockEvents lostLockEvents;

	private boolean holdUntilTransactionCompletion = true;

	private boolean checkNodesBeforeCommit;

	private LockObservers observers = new LockObservers(List.of());

	LockLifecycle(Redlock redlock, LostLockEvents lostLockEvents) {
		this.redlock = redlock;
		this.lostLockEvents = lostLockEvents;
	}

	void setHoldUntilTransactionCompletion(boolean holdUntilTransactionCompletion) {
		this.holdUntilTransactionCompletion = holdUntilTransactionCompletion;
	}

	void setCheckNodesBeforeCommit(boolean checkNodesBeforeCommit) {
		this.checkNodesBeforeCommit = checkNodesBeforeCommit;
	}

	void setObservers(LockObservers observers) {
		this.observers = observers;
	}

	LockObservers observers() {
		return this.observers;
	}

	Redlock redlock() {
		return this.redlock;
	}

	/**
	 * The lock the thread already holds on every one of {@code keys}, which the call joins
	 * instead of deadlocking on itself; the observers are told it joined.
	 * @return the lock, or {@code null} if the call needs one of its own
	 */
	HeldLock join(LockOperation operation, List<String> keys) {
		HeldLock enclosing = HeldLocks.enclosing(keys);
		if (enclosing != null) {
			notAcquired(started(operation, keys), LockOutcome.JOINED, null);
		}
		return enclosing;
	}

	/** Runs the method with {@code held} as the thread's current lock, which nested calls join. */
	static Object proceedHolding(HeldLock held, Invocation invocation) throws Throwable {
		HeldLocks.push(held);
		try {
			return invocation.proceed();
		}
		finally {
			HeldLocks.pop();
		}
	}

	/**
	 * Acquires the lock, waiting up to the operation's wait time.
	 * @return the lock, or {@code null} if the call is to be skipped
	 */
	Lock acquire(LockOperation operation, List<String> keys) {
		LockObservers.Calls calls = started(operation, keys);
		Lock lock;
		try {
			lock = this.redlock.acquire(keys, operation.ttl(), LockedCallOptions.waitingUpTo(operation.waitTime()));
		}
		catch (LockAcquisitionException ex) {
			if (skips(operation, ex)) {
				notAcquired(calls, LockOutcome.SKIPPED, null);
				return null;
			}
			notAcquired(calls, LockOutcome.of(ex), ex);
			throw ex;
		}
		catch (RuntimeException | Error ex) {
			notAcquired(calls, LockOutcome.ERROR, ex);
			throw ex;
		}
		return observed(calls, lock);
	}

	/** Starts observing an acquisition; {@code null} without observers. */
	LockObservers.Calls started(LockOperation operation, List<String> keys) {
		return this.observers.started(operation.name(), keys);
	}

	/** The lock, watched by the observers, if there are any, from now until its release. */
	static Lock observed(LockObservers.Calls calls, Lock lock) {
		if (calls == null) {
			return lock;
		}
		calls.acquired(lock);
		return new ObservedLock(lock, calls);
	}

	static void notAcquired(LockObservers.Calls calls, LockOutcome outcome, Throwable failure) {
		if (calls != null) {
			calls.notAcquired(outcome, failure);
		}
	}

	/** Whether the failure to acquire means the call is skipped; logs the skip. */
	boolean skips(LockOperation operation, LockAcquisitionException ex) {
		if (operation.ifLocked() == IfLocked.SKIP && ex.isHeldByAnotherOwner()) {
			if (logger.isDebugEnabled()) {
				logger.debug("Skipped " + operation.description() + ": " + ex.resources() + " is held by another owner");
			}
			return true;
		}
		return false;
	}

	/** Starts automatic extension if asked for, and reports the lock's loss. */
	void watch(LockOperation operation, List<String> keys, Object target, Lock lock) {
		if (operation.autoExtend()) {
			lock.autoExtend();
		}
		lock.onLost((cause) -> this.lostLockEvents.lost(operation, keys, target, cause));
	}

	/**
	 * Leaves the release of {@code held} to the transaction the thread runs, if there is one
	 * and the configuration asks for it, so that its commit is still under the lock.
	 * @return whether the transaction now releases the lock, not the call
	 */
	boolean leaveToTransaction(HeldLock held) {
		return this.holdUntilTransactionCompletion && transactionsPresent
				&& LockTransactions.holdUntilCompletion(held, this.checkNodesBeforeCommit, LockLifecycle::release);
	}

	/**
	 * Releases without letting a release problem replace the method's own outcome; keys
	 * that could not be deleted expire with their ttl. Waits without being interruptible, so
	 * an interrupted method still releases its lock before the call returns.
	 */
	static void release(Lock lock) {
		try {
			lock.releaseAsync().toCompletableFuture().join();
		}
		catch (RuntimeException ex) {
			logger.warn("Could not release the lock on " + lock.resources() + "; it expires with its ttl", ex);
		}
	}

	/** Releases in the background, for reactive methods. */
	static CompletionStage<Void> releaseAsync(Lock lock) {
		return lock.releaseAsync().exceptionally((ex) -> {
			logger.warn("Could not release the lock on " + lock.resources() + "; it expires with its ttl", ex);
			return null;
		});
	}

}
