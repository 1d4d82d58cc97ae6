package dev.redlock.benchmarks.scenarios;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/** Platform threads running one loop each until their window stops them. */
final class Workers {

	private Workers() {
	}

	/** A worker's loop; it returns when the window has stopped. */
	@FunctionalInterface
	interface Loop {

		void run(int worker) throws Exception;

	}

	/**
	 * Starts {@code count} threads, runs {@code whileRunning} on this thread, then waits for
	 * the threads to finish.
	 * @throws IllegalStateException with the first worker's failure, if any failed
	 */
	static <T> T run(String name, int count, Loop loop, Supplier<T> whileRunning) {
		List<Thread> threads = new ArrayList<>();
		List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
		for (int i = 0; i < count; i++) {
			int worker = i;
			Thread thread = new Thread(() -> {
				try {
					loop.run(worker);
				}
				catch (Throwable ex) {
					failures.add(ex);
				}
			}, name + "-" + i);
			thread.setDaemon(true);
			threads.add(thread);
		}
		threads.forEach(Thread::start);
		T result;
		try {
			result = whileRunning.get();
		}
		finally {
			for (Thread thread : threads) {
				joinUninterruptibly(thread);
			}
		}
		if (!failures.isEmpty()) {
			IllegalStateException failure = new IllegalStateException(name + ": a worker failed", failures.get(0));
			failures.stream().skip(1).limit(3).forEach(failure::addSuppressed);
			throw failure;
		}
		return result;
	}

	private static void joinUninterruptibly(Thread thread) {
		boolean interrupted = false;
		while (true) {
			try {
				thread.join();
				break;
			}
			catch (InterruptedException ex) {
				interrupted = true;
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

}
