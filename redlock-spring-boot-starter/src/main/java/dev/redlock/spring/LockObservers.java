package dev.redlock.spring;

import java.util.List;

import dev.redlock.Lock;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The {@link DistributedLockObserver}s of the locked calls, told in order; one
 * that throws is logged and does not keep the others, or the locked call, from going on.
 */
final class LockObservers {

	private static final Log logger = LogFactory.getLog(LockObservers.class);

	private final DistributedLockObserver[] observers;

	LockObservers(List<DistributedLockObserver> observers) {
		this.observers = observers.toArray(DistributedLockObserver[]::new);
	}

	boolean isEmpty() {
		return this.observers.length == 0;
	}

	void declared(String name) {
		for (DistributedLockObserver observer : this.observers) {
			try {
				observer.declared(name);
			}
			catch (RuntimeException ex) {
				logger.warn("DistributedLockObserver " + observer + " threw; ignored", ex);
			}
		}
	}

	/** The calls of every observer, or {@code null} when there is none. */
	Calls started(String name, List<String> keys) {
		if (this.observers.length == 0) {
			return null;
		}
		DistributedLockObserver.Call[] calls = new DistributedLockObserver.Call[this.observers.length];
		for (int i = 0; i < calls.length; i++) {
			try {
				calls[i] = this.observers[i].started(name, keys);
			}
			catch (RuntimeException ex) {
				logger.warn("DistributedLockObserver " + this.observers[i] + " threw; ignored", ex);
			}
		}
		return new Calls(calls);
	}

	/** One call, as every observer follows it. */
	static final class Calls {

		private final DistributedLockObserver.Call[] calls;

		private Calls(DistributedLockObserver.Call[] calls) {
			this.calls = calls;
		}

		void acquired(Lock lock) {
			for (DistributedLockObserver.Call call : this.calls) {
				if (call != null) {
					try {
						call.acquired(lock);
					}
					catch (RuntimeException ex) {
						logger.warn("DistributedLockObserver call " + call + " threw; ignored", ex);
					}
				}
			}
		}

		void notAcquired(LockOutcome outcome, Throwable failure) {
			for (DistributedLockObserver.Call call : this.calls) {
				if (call != null) {
					try {
						call.notAcquired(outcome, failure);
					}
					catch (RuntimeException ex) {
						logger.warn("DistributedLockObserver call " + call + " threw; ignored", ex);
					}
				}
			}
		}

		void released() {
			for (DistributedLockObserver.Call call : this.calls) {
				if (call != null) {
					try {
						call.released();
					}
					catch (RuntimeException ex) {
						logger.warn("DistributedLockObserver call " + call + " threw; ignored", ex);
					}
				}
			}
		}

	}

}
