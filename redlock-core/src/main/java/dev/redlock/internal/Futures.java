package dev.redlock.internal;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

import dev.redlock.RedlockException;

/** Blocking on the async core for the synchronous API. */
public final class Futures {

	private Futures() {
	}

	/** The cause a {@link CompletionException} wraps, or the exception itself. */
	public static Throwable unwrap(Throwable ex) {
		return (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
	}

	/**
	 * Waits for {@code stage} even if the thread is interrupted, and keeps the interrupt
	 * flag: for releases, which a {@code finally} block must complete whatever happened.
	 */
	public static <T> T awaitUninterruptibly(CompletionStage<T> stage, String what) {
		CompletableFuture<T> future = stage.toCompletableFuture();
		boolean interrupted = false;
		try {
			while (true) {
				try {
					return future.get();
				}
				catch (InterruptedException ex) {
					// Never cancelled: what is being waited for must complete.
					interrupted = true;
				}
				catch (ExecutionException ex) {
					throw rethrown(ex, what);
				}
			}
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/**
	 * Waits for {@code stage}. Its {@link RuntimeException} is rethrown as is, with the stack
	 * trace of the waiting thread (the one that was filled in on an I/O thread tells a user
	 * nothing). Interruption cancels the operation and keeps the interrupt flag.
	 */
	public static <T> T await(CompletionStage<T> stage, String what) {
		return await(stage.toCompletableFuture(), (value) -> {
		}, what);
	}

	/**
	 * {@link #await(CompletionStage, String)} for a result that must not be dropped: if the
	 * thread is interrupted as the result arrives, too late to cancel it, {@code unclaimed}
	 * gets it (a lock won for a caller who gave up is released, not left to expire).
	 */
	public static <T> T await(CompletableFuture<T> future, Consumer<? super T> unclaimed, String what) {
		try {
			return future.get();
		}
		catch (InterruptedException ex) {
			if (!future.cancel(false) && !future.isCompletedExceptionally()) {
				unclaimed.accept(future.join());
			}
			Thread.currentThread().interrupt();
			throw new RedlockException("Interrupted while " + what, ex);
		}
		catch (CancellationException ex) {
			throw new RedlockException("Cancelled while " + what, ex);
		}
		catch (ExecutionException ex) {
			throw rethrown(ex, what);
		}
	}

	private static RuntimeException rethrown(ExecutionException ex, String what) {
		Throwable cause = unwrap(ex.getCause());
		if (cause instanceof RuntimeException runtime) {
			runtime.fillInStackTrace();
			return runtime;
		}
		if (cause instanceof Error error) {
			throw error;
		}
		return new RedlockException("Failed while " + what, cause);
	}

}
