package dev.redlock.spring.boot;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import dev.redlock.AcquisitionEvent;
import dev.redlock.LockHandle;
import dev.redlock.RedlockException;
import dev.redlock.RedlockListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Passes Redlock's events on to every {@link RedlockListener} bean, in order; one that throws
 * does not keep the event from the others.
 */
final class RedlockListeners implements RedlockListener {

	private static final Log logger = LogFactory.getLog(RedlockListeners.class);

	private final List<RedlockListener> listeners;

	RedlockListeners(List<RedlockListener> listeners) {
		this.listeners = List.copyOf(listeners);
	}

	@Override
	public void onClientError(String node, Throwable error) {
		forEach((listener) -> listener.onClientError(node, error));
	}

	@Override
	public void onAcquisition(AcquisitionEvent event) {
		forEach((listener) -> listener.onAcquisition(event));
	}

	@Override
	public void onLockEnded(LockHandle lock, Duration held) {
		forEach((listener) -> listener.onLockEnded(lock, held));
	}

	@Override
	public void onLockLost(LockHandle lock, RedlockException cause) {
		forEach((listener) -> listener.onLockLost(lock, cause));
	}

	@Override
	public void onLockExtended(LockHandle lock, RedlockException failure) {
		forEach((listener) -> listener.onLockExtended(lock, failure));
	}

	@Override
	public void onNodeIdentityChanged(String node, String previousRunId, String runId) {
		forEach((listener) -> listener.onNodeIdentityChanged(node, previousRunId, runId));
	}

	private void forEach(Consumer<RedlockListener> event) {
		for (RedlockListener listener : this.listeners) {
			try {
				event.accept(listener);
			}
			catch (RuntimeException ex) {
				logger.warn("RedlockListener " + listener + " threw; ignored", ex);
			}
		}
	}

}
