package dev.redlock.spring;

import java.util.List;

import dev.redlock.Lock;

/**
 * Watches the locked calls of {@link DistributedLock @DistributedLock} methods and of the
 * {@link DistributedLockTemplate}: the starter's meters, its {@code redlock.lock} observation
 * and the {@code redlock} actuator endpoint are observers, and an application can declare its
 * own as a bean (the sample app draws a timeline of handoffs with one). Called on the thread of
 * the locked call; keep it fast and never throw.
 */
public interface DistributedLockObserver {

	/**
	 * A locked call is about to acquire its lock (or join the one its thread holds).
	 * @param name the method ({@code BookingService.book}) or the name given to the call: a
	 * bounded value, never a key
	 * @param keys the Redis keys, prefix included
	 * @return what hears how it goes on
	 */
	Call started(String name, List<String> keys);

	/**
	 * The meters of {@code name} may be created now, so that dashboards show zeros before the
	 * first call: called at start-up for every annotated method.
	 * @param name the method's name, as given to {@link #started}
	 */
	default void declared(String name) {
	}

	/** One locked call, as it goes on. */
	interface Call {

		/** The lock is held from now on. */
		default void acquired(Lock lock) {
		}

		/**
		 * The call ended its acquisition without a lock of its own.
		 * @param outcome anything but {@link LockOutcome#ACQUIRED}
		 * @param failure the failure, or {@code null} for {@link LockOutcome#JOINED} and
		 * {@link LockOutcome#SKIPPED}
		 */
		default void notAcquired(LockOutcome outcome, Throwable failure) {
		}

		/**
		 * The call let go of the lock acquired before: its release is about to be sent (or it
		 * was given up after a loss). Another call may hold the lock as soon as the nodes run
		 * the release, before this call hears back from them.
		 */
		default void released() {
		}

	}

}
