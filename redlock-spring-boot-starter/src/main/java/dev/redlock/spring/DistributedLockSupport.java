package dev.redlock.spring;

import java.lang.reflect.Method;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import dev.redlock.LockAcquisitionException;
import dev.redlock.Redlock;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.context.ApplicationEventPublisher;

/**
 * What is done around a {@link DistributedLock @DistributedLock} method and a
 * {@link DistributedLockTemplate} call, apart from AOP: resolve the keys, then hold the lock in
 * the way the method's result needs: while a blocking method runs, until a
 * {@code CompletionStage} completes, or from subscription until a reactive result (Reactor,
 * RxJava, Kotlin {@code Flow} and {@code suspend} functions) terminates. Internally the locking
 * itself (joining an enclosing lock or acquiring one, extension, the lost-lock policy,
 * transactions, release) is {@code LockLifecycle}'s, and each kind of result has a class that
 * decides when each step happens: {@code BlockingLocking}, {@code CompletionStageLocking},
 * {@code ReactiveLocking}.
 */
public final class DistributedLockSupport {

	private final DistributedLockOperationSource operationSource;

	private final LockLifecycle locking;

	/**
	 * @param redlock acquires the locks
	 * @param operationSource reads the annotations and resolves the keys
	 * @param eventPublisher publishes {@link DistributedLockLostEvent}s
	 */
	public DistributedLockSupport(Redlock redlock, DistributedLockOperationSource operationSource,
			ApplicationEventPublisher eventPublisher) {
		Objects.requireNonNull(redlock, "redlock must not be null");
		this.operationSource = Objects.requireNonNull(operationSource, "operationSource must not be null");
		Objects.requireNonNull(eventPublisher, "eventPublisher must not be null");
		this.locking = new LockLifecycle(redlock, new LostLockEvents(eventPublisher, this));
	}

	/**
	 * Whether a blocking call made inside a transaction that began outside it keeps its lock
	 * until that transaction completes, so that its commit is still protected. Default
	 * {@code true}.
	 */
	public void setHoldUntilTransactionCompletion(boolean holdUntilTransactionCompletion) {
		this.locking.setHoldUntilTransactionCompletion(holdUntilTransactionCompletion);
	}

	/**
	 * Whether the check of a lock before a transaction commits asks a quorum of the nodes too,
	 * not only the lock's local state. Default {@code false}.
	 */
	public void setCheckNodesBeforeCommit(boolean checkNodesBeforeCommit) {
		this.locking.setCheckNodesBeforeCommit(checkNodesBeforeCommit);
	}

	/**
	 * The observers of every locked call (meters, observations, the actuator endpoint), told
	 * in this order. None by default.
	 */
	public void setObservers(List<DistributedLockObserver> observers) {
		this.locking.setObservers(new LockObservers(List.copyOf(observers)));
	}

	/**
	 * Tells the observers the names of the annotated methods, so that they can create their
	 * meters before the first call; the {@link DistributedLockMethodValidator} calls it at
	 * start-up.
	 */
	public void declared(Collection<String> names) {
		LockObservers observers = this.locking.observers();
		names.forEach(observers::declared);
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

	/**
	 * The one switch on what a locked call returns, which {@link ReturnTypes} classified once
	 * per method. Each class is named only in its own branch, so that {@link ReactiveLocking},
	 * and Reactor with it, is loaded only for a reactive method.
	 */
	Object invoke(LockOperation operation, List<String> keys, Object target, Invocation invocation) throws Throwable {
		return switch (operation.returns()) {
			case REACTIVE -> ReactiveLocking.hold(this.locking, operation, keys, target, invocation.proceed());
			case COMPLETION_STAGE -> CompletionStageLocking.hold(this.locking, operation, keys, target, invocation);
			case VALUE, OPTIONAL -> BlockingLocking.hold(this.locking, operation, keys, target, invocation);
		};
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

}
