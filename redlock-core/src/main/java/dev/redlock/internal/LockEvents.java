package dev.redlock.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.redlock.AcquisitionEvent;
import dev.redlock.LockHandle;
import dev.redlock.LockOptions;
import dev.redlock.RedlockListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the listener how acquisitions end and when locks stop being held, on the callback
 * executor like every other event, so that a listener which records meters or lists the locks
 * never runs on an I/O thread, and whatever it throws is logged and ignored.
 */
final class LockEvents {

	private static final Logger logger = LoggerFactory.getLogger(LockEvents.class);

	private final Callbacks callbacks;

	/** Null when the Redlock has no listener: its locks then pay no task per acquisition and release. */
	private final RedlockListener listener;

	LockEvents(Callbacks callbacks, RedlockListener listener) {
		this.callbacks = callbacks;
		this.listener = listener;
	}

	/** Reports {@code acquisition} once it is decided, whichever way. */
	void watch(CompletableFuture<? extends LockHandle> acquisition, List<String> resources, LockOptions options,
			long startedAt) {
		if (this.listener == null) {
			return;
		}
		acquisition.whenComplete((lock, ex) -> {
			AcquisitionEvent event = new AcquisitionEvent(resources, options, (ex != null) ? null : lock,
					(ex != null) ? Futures.unwrap(ex) : null, Duration.ofNanos(System.nanoTime() - startedAt));
			run(() -> this.listener.onAcquisition(event), "RedlockListener.onAcquisition");
		});
	}

	void ended(LockHandle lock, long acquiredAt) {
		if (this.listener == null) {
			return;
		}
		Duration held = Duration.ofNanos(System.nanoTime() - acquiredAt);
		run(() -> this.listener.onLockEnded(lock, held), "RedlockListener.onLockEnded");
	}

	private void run(Runnable userCode, String what) {
		this.callbacks.execute(() -> {
			try {
				userCode.run();
			}
			catch (RuntimeException ex) {
				logger.warn("{} threw; ignored", what, ex);
			}
		});
	}

}
