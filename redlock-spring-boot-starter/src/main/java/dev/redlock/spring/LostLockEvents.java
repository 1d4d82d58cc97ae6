package dev.redlock.spring;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.redlock.RedlockException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Tells of a lock lost while its locked call still runs, whatever the call returns: an error in
 * the log, and a {@link DistributedLockLostEvent} for the application. Stopping the call, when
 * its {@link OnLost} policy says so, is the business of the class that holds its kind of result.
 */
final class LostLockEvents {

	/** The category these messages have always been logged under, which applications may configure. */
	private static final Log logger = LogFactory.getLog(DistributedLockSupport.class);

	private final ApplicationEventPublisher eventPublisher;

	/** The source of the events of template calls, which have no target object. */
	private final Object defaultSource;

	/**
	 * Publishes the events one after another, on a daemon thread of its own that exists only
	 * while there are events: nothing to shut down, and never blocked by other work.
	 */
	private final Executor executor;

	LostLockEvents(ApplicationEventPublisher eventPublisher, Object defaultSource) {
		this.eventPublisher = eventPublisher;
		this.defaultSource = defaultSource;
		CustomizableThreadFactory threads = new CustomizableThreadFactory("redlock-lost-lock-events-");
		threads.setDaemon(true);
		this.executor = new ThreadPoolExecutor(0, 1, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads);
	}

	/**
	 * @param operation the locked call's operation
	 * @param keys its keys
	 * @param target the object the method was called on, or {@code null} for a template call
	 * @param cause why the lock is lost
	 */
	void lost(LockOperation operation, List<String> keys, Object target, RedlockException cause) {
		logger.error("Lost the distributed lock on " + keys + " while " + operation.description() + " was still running; "
				+ ((operation.onLost() == OnLost.INTERRUPT) ? "stopping it: " : "it goes on without the lock's protection: ")
				+ cause.getMessage(), cause);
		DistributedLockLostEvent event = new DistributedLockLostEvent((target != null) ? target : this.defaultSource,
				operation.method(), keys, cause);
		// The loss is found on a Redlock I/O or scheduler thread, which a slow listener must not hold up.
		this.executor.execute(() -> {
			try {
				this.eventPublisher.publishEvent(event);
			}
			catch (RuntimeException ex) {
				logger.warn("A listener of " + event + " failed", ex);
			}
		});
	}

}
