package dev.redlock.benchmarks.contenders;

import java.time.Duration;

/**
 * One client of a lock library, connected to the nodes of a run: what one application
 * process would hold. Thread-safe, so several benchmark threads may share it.
 */
public interface LockClient extends AutoCloseable {

	/**
	 * Acquires {@code key} the way the library's users would, waiting up to {@code maxWait}
	 * for another holder to let go.
	 * @return the held lock, or {@code null} if {@code maxWait} ran out first
	 * @throws Exception whatever the library throws for anything but a timeout
	 */
	Held acquire(String key, Duration ttl, Duration maxWait) throws Exception;

	/** Closes the connections this client opened; shared resources stay open. */
	@Override
	void close();

	/** A lock this client holds. */
	@FunctionalInterface
	interface Held {

		/** Releases the lock, on the thread that acquired it (some libraries insist). */
		void release() throws Exception;

	}

}
