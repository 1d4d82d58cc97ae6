package dev.redlock.internal;

import java.time.Duration;

import dev.redlock.LockOptions;

/**
 * The validated options of one Redlock, or of one call where {@link LockOptions} override
 * them. Immutable.
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
 * @param replicaAcknowledgements replicas that must acknowledge a grant on a node that can fail
 * over before its vote counts; 0 for none
 */
public record Settings(double driftFactor, int retryCount, Duration retryDelay, Duration retryJitter,
		Duration waitTime, Duration extensionThreshold, Duration commandTimeout, boolean notifications,
		String notificationChannel, int replicaAcknowledgements) {

	/** These settings with what {@code options} sets in place of their values. */
	public Settings with(LockOptions options) {
		if (options == LockOptions.defaults()) {
			return this;
		}
		Duration wait = options.waitTime().orElse(this.waitTime);
		// As in the builder: a wait bound without a retry count retries within the wait.
		int retries = options.retryCount().orElse(options.waitTime().isPresent() ? -1 : this.retryCount);
		return new Settings(options.driftFactor().orElse(this.driftFactor), retries,
				options.retryDelay().orElse(this.retryDelay), options.retryJitter().orElse(this.retryJitter), wait,
				options.automaticExtensionThreshold().orElse(this.extensionThreshold), this.commandTimeout,
				this.notifications, this.notificationChannel, this.replicaAcknowledgements);
	}

	/** These settings for exactly one attempt. */
	Settings oneAttempt() {
		return new Settings(this.driftFactor, 0, this.retryDelay, this.retryJitter, null, this.extensionThreshold,
				this.commandTimeout, this.notifications, this.notificationChannel, this.replicaAcknowledgements);
	}

	Lease lease(Duration ttl) {
		return Lease.of(ttl, this.driftFactor);
	}

}
