package dev.redlock.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** Starts several servers at once, each start mostly waiting for its process to come up. */
final class ParallelStarts {

	private ParallelStarts() {
	}

	/**
	 * Runs {@code start} for every index from 0 to {@code n - 1} in parallel.
	 *
	 * @return the servers, in index order
	 * @throws RuntimeException the first failure, the others suppressed; every server that did
	 *     start is closed first
	 */
	static List<RedisServer> start(int n, IntFunction<RedisServer> start) {
		ExecutorService starter = Executors.newFixedThreadPool(n, daemonThreads());
		try {
			List<CompletableFuture<RedisServer>> starts = new ArrayList<>();
			for (int i = 0; i < n; i++) {
				int index = i;
				starts.add(CompletableFuture.supplyAsync(() -> start.apply(index), starter));
			}
			List<RedisServer> started = new ArrayList<>();
			Throwable failure = null;
			for (CompletableFuture<RedisServer> future : starts) {
				try {
					// join() cannot be interrupted, so no started server is ever lost track of.
					started.add(future.join());
				}
				catch (CompletionException e) {
					if (failure == null) {
						failure = e.getCause();
					}
					else {
						failure.addSuppressed(e.getCause());
					}
				}
			}
			if (failure != null) {
				Closing.closeAll(started, failure);
				throw asUnchecked(failure);
			}
			return started;
		}
		finally {
			starter.shutdown();
		}
	}

	/** A supplier cannot throw checked exceptions, so the cause of a failed start is unchecked. */
	private static RuntimeException asUnchecked(Throwable failure) {
		if (failure instanceof Error error) {
			throw error;
		}
		return (RuntimeException) failure;
	}

	private static ThreadFactory daemonThreads() {
		AtomicInteger count = new AtomicInteger();
		return task -> {
			Thread thread = new Thread(task, "redlock-testkit-start-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}
}
