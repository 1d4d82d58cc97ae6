package dev.redlock.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.redlock.RedlockException;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The two clocks every lock of one Redlock shares, whatever their number: one scheduler
 * thread for retries, undo retries and automatic extensions, and one coarse timer wheel for
 * per-node timeouts, which costs no thread wake-up per operation, unlike a delay queue.
 * Neither ever runs user code (see {@link Callbacks}).
 */
final class Timers {

	private final ScheduledExecutorService scheduler;

	private final HashedWheelTimer wheel = new HashedWheelTimer(new DefaultThreadFactory("redlock-timeout", true), 10,
			TimeUnit.MILLISECONDS);

	Timers() {
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
				new DefaultThreadFactory("redlock-scheduler", true));
		executor.setRemoveOnCancelPolicy(true);
		this.scheduler = Executors.unconfigurableScheduledExecutorService(executor);
	}

	/**
	 * Runs {@code task} after {@code delayNanos} on the scheduler.
	 * @throws RedlockException once the Redlock is closed
	 */
	Future<?> schedule(Runnable task, long delayNanos) {
		try {
			return this.scheduler.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			throw new RedlockException("The Redlock is closed", ex);
		}
	}

	/** Runs {@code task} after about {@code delayNanos} (10 ms ticks) on the timer wheel. */
	Timeout timeout(Runnable task, long delayNanos) {
		return this.wheel.newTimeout((t) -> task.run(), delayNanos, TimeUnit.NANOSECONDS);
	}

	void close() {
		this.scheduler.shutdownNow();
		this.wheel.stop();
	}

}
