package dev.redlock.benchmarks.scenarios;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.redlock.benchmarks.RunSettings;
import dev.redlock.benchmarks.contenders.LockClient;

/**
 * One contended worker's loop: hold the key 1 ms, work 5 ms without it, ask again, until the
 * window stops it. Shared by the one-JVM and the two-JVM runs so both measure the same thing.
 */
final class ContendedLoop {

	/** Time spent holding the lock. */
	static final long HOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	/** Time spent working without the lock between acquisitions. */
	static final long WORK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

	/**
	 * How long past the window a wait may go on. An acquisition after the window counts for
	 * nothing, so waits end with it, and a run ends soon after its window instead of after
	 * the slowest poller's next poll.
	 */
	static final Duration GRACE = Duration.ofMillis(50);

	private ContendedLoop() {
	}

	/** Told by the holder, inside its critical section, what happened. Thread-safe. */
	interface Recorder {

		/**
		 * @param askedAt when the worker started to acquire
		 * @param acquiredAt when the library said it holds the lock
		 */
		void acquired(int worker, long askedAt, long acquiredAt);

		/** Called by the holder just before it releases. */
		void releasing(int worker, long at);

		/** A wait that gave up. */
		void timedOut(int worker, long at);

	}

	static void run(LockClient client, String key, int worker, Window window, Recorder recorder) throws Exception {
		while (!window.stopped()) {
			long askedAt = System.nanoTime();
			Duration maxWait = Duration.ofNanos(Math.max(0, window.closesAt() - askedAt)).plus(GRACE);
			LockClient.Held held = client.acquire(key, RunSettings.TTL, maxWait);
			long acquiredAt = System.nanoTime();
			if (held == null) {
				recorder.timedOut(worker, acquiredAt);
				continue;
			}
			recorder.acquired(worker, askedAt, acquiredAt);
			LockSupport.parkNanos(HOLD_NANOS);
			recorder.releasing(worker, System.nanoTime());
			held.release();
			LockSupport.parkNanos(WORK_NANOS);
		}
	}

}
