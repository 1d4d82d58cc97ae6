package dev.redlock.spring;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;

import dev.redlock.Lock;
import dev.redlock.RedlockException;
import dev.redlock.spring.DistributedLockSupport.Invocation;
import dev.redlock.spring.internal.HeldLock;

/**
 * Locking for methods returning a {@link CompletionStage}: the lock is acquired before the
 * method runs, on the calling thread, and held until the returned stage completes.
 */
final class CompletionStageLocking {

	private CompletionStageLocking() {
	}

	/**
	 * Joins the thread's lock on the keys, or acquires, runs the method and ties the release to
	 * its result. A method declared to return a {@link CompletableFuture} or a
	 * {@link CompletionStage} gets its failures to lock as a failed future, like any other
	 * asynchronous failure.
	 */
	static Object hold(LockLifecycle locking, LockOperation operation, List<String> keys, Object target,
			Invocation invocation) throws Throwable {
		HeldLock enclosing = locking.join(operation, keys);
		if (enclosing != null) {
			return LockLifecycle.proceedHolding(enclosing, invocation);
		}
		boolean returnsFuture = operation.method().getReturnType().isAssignableFrom(CompletableFuture.class);
		Lock lock;
		try {
			lock = locking.acquire(operation, keys);
		}
		catch (RedlockException ex) {
			if (returnsFuture) {
				return CompletableFuture.failedFuture(ex);
			}
			throw ex;
		}
		if (lock == null) {
			return returnsFuture ? CompletableFuture.completedFuture(null) : null;
		}
		Object result;
		try {
			locking.watch(operation, keys, target, lock);
			result = LockLifecycle.proceedHolding(new HeldLock(keys, lock, operation.ttl(), operation.description()),
					invocation);
		}
		catch (Throwable ex) {
			LockLifecycle.release(lock);
			throw ex;
		}
		if (result == null) {
			LockLifecycle.release(lock);
			return null;
		}
		CompletionStage<?> stage = (CompletionStage<?>) result;
		if (returnsFuture) {
			CompletableFuture<Object> future = releasedThenCompleted(stage, lock);
			if (operation.onLost() == OnLost.INTERRUPT) {
				lock.onLost((cause) -> future.completeExceptionally(new DistributedLockLostException(keys,
						"Lost the distributed lock on " + keys + " while " + operation.description()
								+ " was still running; its future was cancelled",
						cause)));
			}
			return future;
		}
		// A stage type of its own cannot be replaced by another: release beside it.
		stage.whenComplete((value, ex) -> lock.releaseAsync());
		return stage;
	}

	/**
	 * A future that completes like {@code stage}, but only once the lock is released, so
	 * that whoever waits for it finds the lock free; cancelling it cancels {@code stage}.
	 */
	private static CompletableFuture<Object> releasedThenCompleted(CompletionStage<?> stage, Lock lock) {
		CompletableFuture<Object> result = new CompletableFuture<>();
		stage.whenComplete((value, ex) -> lock.releaseAsync().whenComplete((released, releaseEx) -> {
			if (ex != null) {
				result.completeExceptionally((ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex);
			}
			else {
				result.complete(value);
			}
		}));
		result.whenComplete((value, ex) -> {
			// Cancelled, or failed by a lost lock, before the work was done: stop the work.
			if (ex != null && stage instanceof Future<?> future && !future.isDone()) {
				future.cancel(true);
			}
		});
		return result;
	}

}
