package dev.redlock.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** The threads of one proxy, tracked so that closing it can wait for them to end. */
final class ProxyThreads {

	private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

	/** Daemon threads, so that a proxy a test forgot to close never keeps the JVM alive. */
	void spawn(String threadName, Runnable task) {
		Thread thread = new Thread(() -> {
			try {
				task.run();
			}
			finally {
				threads.remove(Thread.currentThread());
			}
		}, threadName);
		thread.setDaemon(true);
		threads.add(thread);
		thread.start();
	}

	/**
	 * Interrupts every thread and waits for them, {@code timeout} at most in all. Gives up early,
	 * keeping the interrupt, if the calling thread is interrupted.
	 */
	void interruptAndJoin(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		for (Thread thread : List.copyOf(threads)) {
			thread.interrupt();
			try {
				thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	List<String> liveNames() {
		return threads.stream().filter(Thread::isAlive).map(Thread::getName).toList();
	}
}
