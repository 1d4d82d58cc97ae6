package dev.redlock.internal;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;

import dev.redlock.Lock;
import dev.redlock.LockAcquisitionException;
import dev.redlock.LockHandle;

/** Asynchronous work run under a lock, and the shapes asynchronous results take. */
public final class LockedWork {

	private LockedWork() {
	}

	/**
	 * Runs {@code task} on {@code executor} once the lock is acquired, extending the lock until
	 * the task's stage completes, then releases it. whenComplete always runs, unlike a
	 * thenCompose that a cancelled result skips: a lock won for a caller who cancelled is
	 * released, never dropped.
	 */
	public static <T> CompletableFuture<T> whileHolding(CompletableFuture<Lock> acquisition,
			Function<? super LockHandle, ? extends CompletionStage<T>> task, Executor executor) {
		CompletableFuture<T> done = new CompletableFuture<>();
		acquisition.whenComplete((lock, ex) -> {
			if (ex != null) {
				done.completeExceptionally(Futures.unwrap(ex));
				return;
			}
			executor.execute(() -> {
				if (done.isDone()) {
					lock.releaseAsync();
					return;
				}
				run(lock, task).whenComplete((result, failure) -> {
					if (failure != null) {
						done.completeExceptionally(Futures.unwrap(failure));
					}
					else {
						done.complete(result);
					}
				});
			});
		});
		return done;
	}

	private static <T> CompletableFuture<T> run(Lock lock, Function<? super LockHandle, ? extends CompletionStage<T>> task) {
		CompletionStage<T> work;
		try {
			work = task.apply(lock.autoExtend());
		}
		catch (RuntimeException | Error ex) {
			work = CompletableFuture.failedFuture(ex);
		}
		return work.toCompletableFuture()
			.handle((result, ex) -> lock.releaseAsync().handle((released, releaseError) -> {
				if (ex != null) {
					throw (ex instanceof CompletionException completion) ? completion : new CompletionException(ex);
				}
				return result;
			}))
			.thenCompose(Function.identity());
	}

	/** For {@code tryAcquire}: "held by another owner" is an empty result, anything else fails. */
	public static Optional<Lock> heldMeansEmpty(Lock lock, Throwable ex) {
		if (ex == null) {
			return Optional.of(lock);
		}
		Throwable cause = Futures.unwrap(ex);
		if (cause instanceof LockAcquisitionException failure && failure.isHeldByAnotherOwner()) {
			return Optional.empty();
		}
		throw (ex instanceof CompletionException completion) ? completion : new CompletionException(cause);
	}

}
