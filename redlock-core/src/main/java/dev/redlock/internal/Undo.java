package dev.redlock.internal;

import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The release of a failed attempt's keys on one node, retried until it lands or the keys
 * have expired by themselves: a connection that dropped mid-acquire may have let the SET
 * through, and once Lettuce has reconnected the key must go. A held lock's release that
 * failed on a node is retried the same way.
 */
final class Undo {

	private static final Logger logger = LoggerFactory.getLogger(Undo.class);

	private static final long FIRST_RETRY_NANOS = 20_000_000L;

	private static final long MAX_RETRY_NANOS = 1_000_000_000L;

	private final RedisNode node;

	private final String[] keys;

	private final String token;

	private final Timers timers;

	/** When the keys expire by themselves, if set: no retry is needed after. */
	private final long expiresAt;

	private long nextRetry = FIRST_RETRY_NANOS;

	Undo(RedisNode node, String[] keys, String token, Timers timers, long expiresAt) {
		this.node = node;
		this.keys = keys;
		this.token = token;
		this.timers = timers;
		this.expiresAt = expiresAt;
	}

	/** Releases, completing {@code cleared} after the first try whatever its outcome. */
	void run(CompletableFuture<Void> cleared) {
		CompletableFuture<Boolean> release;
		try {
			release = this.node.release(this.keys, this.token, "");
		}
		catch (RuntimeException ex) {
			release = CompletableFuture.failedFuture(ex);
		}
		release.whenComplete((ok, ex) -> {
			cleared.complete(null);
			if (ex != null) {
				retryLater(ex);
			}
		});
	}

	/**
	 * Retries after a release that failed elsewhere (a lock's own release that met a dropped
	 * connection), with the same back-off, until it lands or the keys have expired.
	 */
	void retryLater(Throwable error) {
		if (System.nanoTime() + this.nextRetry - this.expiresAt >= 0) {
			return;
		}
		logger.debug("Undo on {} failed, retrying: {}", this.node.name(), Futures.unwrap(error).toString());
		long delay = this.nextRetry;
		this.nextRetry = Math.min(this.nextRetry * 2, MAX_RETRY_NANOS);
		try {
			this.timers.schedule(() -> run(new CompletableFuture<>()), delay);
		}
		catch (RuntimeException closed) {
			logger.debug("Redlock closed; the keys on {} expire with their ttl", this.node.name());
		}
	}

}
