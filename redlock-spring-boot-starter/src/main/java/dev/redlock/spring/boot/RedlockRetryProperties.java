package dev.redlock.spring.boot;

import java.time.Duration;

/**
 * How waiting acquisitions retry, bound to {@code redlock.retry.*}: a group of
 * {@link RedlockProperties}.
 */
public class RedlockRetryProperties {

	/**
	 * Delay between attempts of a waiting acquisition when no release notification
	 * wakes it first.
	 */
	private Duration delay = Duration.ofMillis(200);

	/**
	 * Up to this much random time is added to every retry delay, so that waiters do not
	 * retry in lockstep.
	 */
	private Duration jitter = Duration.ofMillis(100);

	public Duration getDelay() {
		return this.delay;
	}

	public void setDelay(Duration delay) {
		this.delay = delay;
	}

	public Duration getJitter() {
		return this.jitter;
	}

	public void setJitter(Duration jitter) {
		this.jitter = jitter;
	}

}
