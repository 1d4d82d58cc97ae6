package dev.redlock.testkit;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Bounded polling of the servers' own answers, for the waits of clusters and Sentinel groups.
 */
final class Waits {

	private static final long POLL_INTERVAL_MILLIS = 50;

	private Waits() {
	}

	/**
	 * Polls {@code check} until it returns {@code null}, meaning done; any other value describes
	 * what is still missing, and a {@link RuntimeException} thrown by it counts as such too.
	 *
	 * @param goal what is awaited, for the message: "the cluster to reach cluster_state:ok"
	 * @throws IllegalStateException after {@code timeout}, naming the goal and what was missing
	 *     at the last poll
	 */
	static void until(String goal, Duration timeout, Supplier<String> check) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			String missing;
			RuntimeException failure = null;
			try {
				missing = check.get();
			}
			catch (RuntimeException e) {
				failure = e;
				missing = e.toString();
			}
			if (missing == null) {
				return;
			}
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("Timed out after " + timeout.toMillis() + " ms waiting for " + goal
						+ "; last seen: " + missing, failure);
			}
			try {
				Thread.sleep(POLL_INTERVAL_MILLIS);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting for " + goal, e);
			}
		}
	}
}
