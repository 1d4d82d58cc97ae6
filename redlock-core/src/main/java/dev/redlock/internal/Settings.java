package dev.redlock.internal;

import java.time.Duration;

/**
 * The validated options of one Redlock, immutable.
 *
 * @param driftFactor fraction of the ttl allowed for clock drift between nodes
 * @param retryCount retries after the first attempt; -1 means until acquired or the wait bound
 * @param retryDelay fallback delay between attempts when no release notification arrives
 * @param retryJitter random extra delay, up to this, added to each retry delay
 * @param waitTime total wait bound for an acquisition, or {@code null} to use the retry count
 * @param extensionThreshold how long before expiry an automatic extension is sent
 * @param commandTimeout how long one node may take to answer before it counts as failed
 * @param notifications whether releases publish, and waiters listen for, release notifications
 * @param notificationChannel the Pub/Sub channel for release notifications
 */
public record Settings(double driftFactor, int retryCount, Duration retryDelay, Duration retryJitter,
		Duration waitTime, Duration extensionThreshold, Duration commandTimeout, boolean notifications,
		String notificationChannel) {

	/** The clock drift allowance for a ttl: ttl × driftFactor + 2 ms, in nanoseconds. */
	public long driftNanos(long ttlNanos) {
		return (long) (ttlNanos * this.driftFactor) + 2_000_000L;
	}

}
