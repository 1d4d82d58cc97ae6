package dev.redlock.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

import dev.redlock.LockHandle;
import dev.redlock.RedlockException;
import dev.redlock.RedlockListener;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where code the user supplies runs: the listener, {@code onLost} callbacks, and the
 * continuations of the asynchronous results. Never on a Netty event loop or the timeout
 * timer, so a callback that blocks delays no other lock's replies or timeouts; and whatever
 * it throws is logged and ignored, so it can never break a lock operation.
 */
final class Callbacks {

	private static final Logger logger = LoggerFactory.getLogger(Callbacks.class);

	private final Executor executor;

	private final ExecutorService owned;

	private final RedlockListener listener;

	/** @param executor the user's executor, or {@code null} for one of this Redlock's own */
	Callbacks(Executor executor, RedlockListener listener) {
		this.owned = (executor == null) ? Executors.newCachedThreadPool(new DefaultThreadFactory("redlock-callback", true))
				: null;
		this.executor = (executor != null) ? executor : this.owned;
		this.listener = listener;
	}

	void clientError(String node, Throwable error) {
		logger.debug("Client error from {}: {}", node, error.toString());
		run(() -> this.listener.onClientError(node, error), "RedlockListener.onClientError");
	}

	void lockLost(LockHandle lock, RedlockException cause) {
		run(() -> this.listener.onLockLost(lock, cause), "RedlockListener.onLockLost");
	}

	void lockExtended(LockHandle lock, RedlockException failure) {
		run(() -> this.listener.onLockExtended(lock, failure), "RedlockListener.onLockExtended");
	}

	void nodeIdentityChanged(String node, String previous, String current) {
		run(() -> this.listener.onNodeIdentityChanged(node, previous, current), "RedlockListener.onNodeIdentityChanged");
	}

	void lossCallback(Consumer<? super RedlockException> callback, RedlockException cause) {
		run(() -> callback.accept(cause), "An onLost callback");
	}

	/**
	 * The caller's view of an internal result: completed on the callback executor, so its
	 * continuations never run on an I/O thread. Cancelling it cancels {@code root}, the
	 * acquisition {@code internal} derives from;
	 * a value that arrives for nobody (the caller cancelled first) goes to {@code unclaimed},
	 * so a lock won for a caller who gave up is released rather than left to expire.
	 */
	<T> CompletableFuture<T> deliver(CompletableFuture<?> root, CompletableFuture<T> internal, Consumer<? super T> unclaimed) {
		CompletableFuture<T> external = new CompletableFuture<>();
		external.whenComplete((value, ex) -> {
			if (external.isCancelled()) {
				root.cancel(false);
			}
		});
		internal.whenComplete((value, ex) -> execute(() -> {
			boolean claimed = (ex != null) ? external.completeExceptionally(ex) : external.complete(value);
			if (!claimed && ex == null) {
				unclaimed.accept(value);
			}
		}));
		return external;
	}

	private void run(Runnable userCode, String what) {
		execute(() -> {
			try {
				userCode.run();
			}
			catch (RuntimeException ex) {
				logger.warn("{} threw; ignored", what, ex);
			}
		});
	}

	/**
	 * Runs {@code task} on the callback executor. Once that refuses it (closed with the
	 * Redlock, or the user's executor saturated), the task still runs, since a lost lock must be
	 * reported, but on a thread of its own: the caller may be a Netty event loop delivering a
	 * straggler's reply, or the timer, which user code must never hold up.
	 */
	void execute(Runnable task) {
		try {
			this.executor.execute(task);
		}
		catch (RejectedExecutionException ex) {
			Thread late = new Thread(task, "redlock-callback-late");
			late.setDaemon(true);
			late.start();
		}
	}

	/** Lets queued callbacks finish, on their threads, and takes no new ones. */
	void close() {
		if (this.owned != null) {
			this.owned.shutdown();
		}
	}

}
