package dev.redlock.internal;

import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.redlock.RedlockException;

/**
 * What the acquisitions and locks of one Redlock share, passed down so that dependencies run
 * one way: driver, then rounds, then nodes, then scripts. No logic of its own.
 *
 * @param rounds the fan-out to the nodes
 * @param timers the shared scheduler and timeout wheel
 * @param callbacks where user code runs
 * @param notifications release notifications, for waiters and for releases
 * @param tokens fresh lock tokens
 * @param extending the locks being extended automatically, to report lost when the Redlock closes
 * @param events the listener's acquisition and lock-ended events
 * @param closed whether the Redlock is closed: a lock's calls then fail at once, instead of
 * waiting for nodes whose connections are gone
 */
record LockContext(Rounds rounds, Timers timers, Callbacks callbacks, ReleaseNotifications notifications, Tokens tokens,
		int nodeCount, int quorum, Set<RedlockLock> extending, LockEvents events, AtomicBoolean closed) {

	/** The failure of a lock's call after the Redlock closed; {@code null} while it is open. */
	RedlockException closedFailure(String what) {
		return this.closed.get() ? new RedlockException("This Redlock is closed: cannot " + what
				+ "; the lock expires with its ttl") : null;
	}

}
