package dev.redlock.internal;

import java.util.List;
import java.util.concurrent.Future;

import dev.redlock.LockExtensionException;
import dev.redlock.RedlockException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one lock alive on the Redlock's shared scheduler: an extension by the lock's ttl
 * shortly before it would expire, retried while validity is left, and the lock marked lost
 * when none succeeds in time. One extension at a time: the next is scheduled only when the
 * last has been decided.
 */
final class AutoExtension {

	private static final Logger logger = LoggerFactory.getLogger(AutoExtension.class);

	private final RedlockLock lock;

	private final Timers timers;

	private final Settings settings;

	private boolean started;

	private Future<?> next;

	AutoExtension(RedlockLock lock, Timers timers, Settings settings) {
		this.lock = lock;
		this.timers = timers;
		this.settings = settings;
	}

	synchronized void start() {
		if (!this.started) {
			this.started = true;
			scheduleBeforeExpiry();
		}
	}

	synchronized void stop() {
		if (this.next != null) {
			this.next.cancel(false);
		}
	}

	private void scheduleBeforeExpiry() {
		long remaining = this.lock.remainingNanos();
		schedule(Math.max(remaining - this.settings.extensionThreshold().toNanos(), remaining / 2));
	}

	private synchronized void schedule(long delayNanos) {
		if (this.lock.isReleasedOrLost()) {
			return;
		}
		try {
			this.next = this.timers.schedule(this::extendNow, delayNanos);
		}
		catch (RedlockException closed) {
			this.lock.markLost(new LockExtensionException("The Redlock was closed while the lock on " + this.lock.resources()
					+ " was held; it expires with its ttl", this.lock.resources(), List.of()));
		}
	}

	private void extendNow() {
		this.lock.extending(this.lock.ttl()).whenComplete((extended, ex) -> {
			if (ex == null) {
				scheduleBeforeExpiry();
				return;
			}
			RedlockException cause = asRedlockException(Futures.unwrap(ex));
			// Still valid and not refused: a transient failure, try again while time is left.
			if (this.lock.isHeld()) {
				logger.debug("Extension of the lock on {} failed, retrying: {}", this.lock.resources(), cause.getMessage());
				schedule(Math.min(this.settings.retryDelay().toNanos(), this.lock.remainingNanos() / 2));
			}
			else {
				this.lock.markLost(cause);
			}
		});
	}

	private static RedlockException asRedlockException(Throwable ex) {
		return (ex instanceof RedlockException redlock) ? redlock : new RedlockException(ex.getMessage(), ex);
	}

}
