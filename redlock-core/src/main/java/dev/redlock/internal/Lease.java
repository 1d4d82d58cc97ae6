package dev.redlock.internal;

import java.time.Duration;

/**
 * The one place where a lock's validity is computed, for acquire and extend alike: the ttl
 * sent to Redis and the ttl the validity is measured against are the same whole number of
 * milliseconds, so a lock is never believed valid for a sub-millisecond the nodes never
 * granted.
 *
 * @param ttlMillis the ttl sent to every node
 * @param driftNanos the clock drift allowance: ttl × driftFactor + 2 ms
 */
record Lease(long ttlMillis, long driftNanos) {

	/** The fixed part of the drift allowance, for the resolution of Redis expiries. */
	private static final long MIN_DRIFT_NANOS = 2_000_000L;

	static Lease of(Duration ttl, double driftFactor) {
		long millis = ttl.toMillis();
		return new Lease(millis, drift(millis * 1_000_000L, driftFactor));
	}

	/** ttl × driftFactor + 2 ms, in nanoseconds. */
	static long drift(long ttlNanos, double driftFactor) {
		return (long) (ttlNanos * driftFactor) + MIN_DRIFT_NANOS;
	}

	long ttlNanos() {
		return this.ttlMillis * 1_000_000L;
	}

	/**
	 * Until when, on the {@link System#nanoTime()} scale, a lock whose commands were sent at
	 * {@code sentAt} is valid: {@code sentAt + ttl - drift}. Measuring from the send, not the
	 * answer, makes the time the nodes took count against the validity.
	 */
	long validUntil(long sentAt) {
		return sentAt + ttlNanos() - this.driftNanos;
	}

	/** Whether a quorum that answered by {@code decidedAt} still leaves validity > 0. */
	boolean isValid(long sentAt, long decidedAt) {
		return validUntil(sentAt) - decidedAt > 0;
	}

	@Override
	public String toString() {
		return this.ttlMillis + " ms";
	}

}
