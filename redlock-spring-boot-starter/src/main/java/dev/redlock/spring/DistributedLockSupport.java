package dev.redlock.spring;

import java.lang.reflect.Method;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.redlock.Lock;
import dev.redlock.LockAcquisitionException;
import dev.redlock.Redlock;
import dev.redlock.RedlockException;
import dev.redlock.spring.internal.HeldLock;
import dev.redlock.spring.internal.HeldLocks;
import dev.redlock.spring.internal.LockTransactions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.util.ClassUtils;

/**
 * What is done around a {@link DistributedLock @DistributedLock} method and a
 * {@link DistributedLockTemplate} call, apart from AOP: resolve the keys, join an enclosing
 * lock or acquire one, keep it extended, apply the lost-lock policy, tie it to transactions,
 * and release it once the work is done, which for asynchronous and reactive methods is when
 * their result completes.
 */
public final class DistributedLockSupport {

	private static final Log logger = LogFactory.getLog(DistributedLockSupport.class);

	private static final boolean transactionsPresent = ClassUtils.isPresent(
			"org.springframework.transaction.support.TransactionSynchronizationManager",
			DistributedLockSupport.class.getClassLoader());

	private final Redlock redlock;

	private final DistributedLockOperationSource operationSource;

	private final ApplicationEventPublisher eventPublisher;

	private boolean holdUntilTransactionCompletion = true;

	private boolean checkNodesBeforeCommit;

	private LockObservers observers = new LockObservers(List.of());

	/**
	 * Publishes lost-lock events one after another, on a daemon thread of its own that exists
	 * only while there are events: nothing to shut down, and never blocked by other work.
	 */
	private final Executor eventExecutor = new ThreadPoolExecutor(0, 1, 60, TimeUnit.SECONDS,
			new LinkedBlockingQueue<>(), daemonThreads("redlock-lost-lock-events-"));

	/**
	 * @param redlock acquires the locks
	 * @param operationSource reads the annotations and resolves the keys
	 * @param eventPublisher publishes {@link DistributedLockLostEvent}s
	 */
	public DistributedLockSupport(Redlock redlock, DistributedLockOperationSource operationSource,
			ApplicationEventPublisher eventPublisher) {
		this.redlock = Objects.requireNonNull(redlock, "redlock must not be null");
		this.operationSource = Objects.requireNonNull(operationSource, "operationSource must not be null");
		this.eventPublisher = Objects.requireNonNull(eventPublisher, "eventPublisher must not be null");
	}

	/**
	 * Whether a blocking call made inside a transaction that began outside it keeps its lock
	 * until that transaction completes, so that its commit is still protected. Default
	 * {@code true}.
	 */
	public void setHoldUntilTransactionCompletion(boolean holdUntilTransactionCompletion) {
		this.holdUntilTransactionCompletion = holdUntilTransactionCompletion;
	}

	/**
	 * Whether the check of a lock before a transaction commits asks a quorum of the nodes too,
	 * not only the lock's local state. Default {@code false}.
	 */
	public void setCheckNodesBeforeCommit(boolean checkNodesBeforeCommit) {
		this.checkNodesBeforeCommit = checkNodesBeforeCommit;
	}

	/**
	 * The observers of every locked call (meters, observations, the actuator endpoint), told
	 * in this order. None by default.
	 */
	public void setObservers(List<DistributedLockObserver> observers) {
		this.observers = new LockObservers(List.copyOf(observers));
	}

	/**
	 * Tells the observers the names of the annotated methods, so that they can create their
	 * meters before the first call; the {@link DistributedLockMethodValidator} calls it at
	 * start-up.
	 */
	public void declared(Collection<String> names) {
		names.forEach(this.observers::declared);
	}

	/**
	 * Runs {@code invocation} under the lock that the annotation of {@code method} describes.
	 * @param method the called method
	 * @param target the object it is called on
	 * @param args the arguments
	 * @param invocation runs the method
	 * @return what the method returned, or, for a skipped call, the empty value of its type
	 * @throws Throwable what the method threw, untouched; a {@link LockAcquisitionException}
	 * if the lock could not be acquired in time
	 */
	public Object invoke(Method method, Object target, Object[] args, Invocation invocation) throws Throwable {
		Class<?> targetClass = AopProxyUtils.ultimateTargetClass(target);
		LockOperation operation = this.operationSource.getOperation(method, targetClass);
		if (operation == null) {
			return invocation.proceed();
		}
		List<String> keys = this.operationSource.resolveKeys(operation, args, target, targetClass);
		return invoke(operation, keys, target, invocation);
	}

	/** The one switch on what a locked call returns. */
	Object invoke(LockOperation operation, List<String> keys, Object target, Invocation invocation) throws Throwable {
		return switch (operation.returns()) {
			case REACTIVE -> ReactiveLocking.hold(this, operation, keys, target, invocation.proceed());
			case COMPLETION_STAGE -> invokeAsync(operation, keys, target, invocation);
			case VALUE, OPTIONAL -> invokeBlocking(operation, keys, target, invocation);
		};
	}

	private Object invokeBlocking(LockOperation operation, List<String> keys, Object target, Invocation invocation)
			throws Throwable {
		HeldLock enclosing = HeldLocks.enclosing(keys);
		if (enclosing != null) {
			joined(operation, keys);
			return proceedHolding(enclosing, invocation);
		}
		Lock lock = acquire(operation, keys);
		if (lock == null) {
			return operation.skippedValue();
		}
		HeldLock held = new HeldLock(keys, lock, operation.ttl(), operation.description());
		boolean releaseHere = true;
		Interrupter interrupter = null;
		try {
			watch(operation, keys, target, lock);
			if (operation.onLost() == OnLost.INTERRUPT) {
				interrupter = new Interrupter(Thread.currentThread());
				lock.onLost(interrupter);
			}
			if (this.holdUntilTransactionCompletion && transactionsPresent) {
				releaseHere = !LockTransactions.holdUntilCompletion(held, this.checkNodesBeforeCommit,
						DistributedLockSupport::release);
			}
			return proceedHolding(held, invocation);
		}
		finally {
			if (interrupter != null) {
				interrupter.done();
			}
			if (releaseHere) {
				release(lock);
			}
		}
	}

	private Object invokeAsync(LockOperation operation, List<String> keys, Object target, Invocation invocation)
			throws Throwable {
		HeldLock enclosing = HeldLocks.enclosing(keys);
		if (enclosing != null) {
			joined(operation, keys);
			return proceedHolding(enclosing, invocation);
		}
		return CompletionStageLocking.hold(this, operation, keys, target, invocation);
	}

	/** Runs the method with {@code held} as the thread's current lock. */
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
		LockObservers.Calls calls = this.observers.started(operation.name(), keys);
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

	/** The call found its thread holding the keys already. */
	void joined(LockOperation operation, List<String> keys) {
		notAcquired(this.observers.started(operation.name(), keys), LockOutcome.JOINED, null);
	}

	/** Starts observing an acquisition; {@code null} without observers. */
	LockObservers.Calls started(LockOperation operation, List<String> keys) {
		return this.observers.started(operation.name(), keys);
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
		lock.onLost((cause) -> lost(operation, keys, target, cause));
	}

	private void lost(LockOperation operation, List<String> keys, Object target, RedlockException cause) {
		logger.error("Lost the distributed lock on " + keys + " while " + operation.description() + " was still running; "
				+ ((operation.onLost() == OnLost.INTERRUPT) ? "stopping it: " : "it goes on without the lock's protection: ")
				+ cause.getMessage(), cause);
		DistributedLockLostEvent event = new DistributedLockLostEvent((target != null) ? target : this,
				operation.method(), keys, cause);
		// The loss is found on a Redlock I/O or scheduler thread, which a slow listener must not hold up.
		this.eventExecutor.execute(() -> {
			try {
				this.eventPublisher.publishEvent(event);
			}
			catch (RuntimeException ex) {
				logger.warn("A listener of " + event + " failed", ex);
			}
		});
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
	CompletionStage<Void> releaseAsync(Lock lock) {
		return lock.releaseAsync().exceptionally((ex) -> {
			logger.warn("Could not release the lock on " + lock.resources() + "; it expires with its ttl", ex);
			return null;
		});
	}

	private static ThreadFactory daemonThreads(String prefix) {
		CustomizableThreadFactory threads = new CustomizableThreadFactory(prefix);
		threads.setDaemon(true);
		return threads;
	}

	Redlock redlock() {
		return this.redlock;
	}

	DistributedLockOperationSource operationSource() {
		return this.operationSource;
	}

	/**
	 * Runs the intercepted method.
	 */
	@FunctionalInterface
	public interface Invocation {

		/**
		 * @return what the method returned
		 * @throws Throwable what the method threw
		 */
		Object proceed() throws Throwable;

	}

	/** Interrupts the thread of a blocking call on loss, but only while that call runs. */
	private static final class Interrupter implements java.util.function.Consumer<RedlockException> {

		private final Thread thread;

		private boolean running = true;

		Interrupter(Thread thread) {
			this.thread = thread;
		}

		@Override
		public synchronized void accept(RedlockException cause) {
			if (this.running) {
				this.thread.interrupt();
			}
		}

		synchronized void done() {
			this.running = false;
		}

	}

}
