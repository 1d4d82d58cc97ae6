package dev.redlock.testkit;

import java.util.function.BooleanSupplier;

/**
 * The faults in force on one proxy, which every link consults before it passes bytes on, and
 * whether the proxy is closed: a link held by a blackhole must wake on either change.
 */
final class FaultSwitches {

	/** How often a waiting thread rechecks whether it should stop: bounds every wait. */
	static final long RECHECK_MILLIS = 50;

	/** Guarded by {@code this}; waiters are woken on {@link #heal()} and {@link #close()}. */
	private boolean blackholed;

	private volatile long latencyNanos;

	private volatile boolean closed;

	long latencyNanos() {
		return latencyNanos;
	}

	/** Bytes already under way keep the delay they were given. */
	void latencyNanos(long oneWay) {
		latencyNanos = oneWay;
	}

	synchronized void blackhole() {
		blackholed = true;
	}

	synchronized boolean isBlackholed() {
		return blackholed;
	}

	void heal() {
		latencyNanos = 0;
		synchronized (this) {
			blackholed = false;
			notifyAll();
		}
	}

	/** {@return whether this call closed the proxy; false if it was closed already} */
	synchronized boolean close() {
		if (closed) {
			return false;
		}
		closed = true;
		notifyAll();
		return true;
	}

	boolean isClosed() {
		return closed;
	}

	/**
	 * Waits while blackholed.
	 *
	 * @param linkClosed whether the waiting link has been closed meanwhile
	 * @return whether the link may go on; false once the proxy or the link is closed
	 */
	synchronized boolean awaitOpen(BooleanSupplier linkClosed) throws InterruptedException {
		while (blackholed && !closed && !linkClosed.getAsBoolean()) {
			wait(RECHECK_MILLIS);
		}
		return !closed && !linkClosed.getAsBoolean();
	}
}
