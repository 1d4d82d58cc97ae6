package dev.redlock.internal;

import java.util.Set;

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
 */
record LockContext(Rounds rounds, Timers timers, Callbacks callbacks, ReleaseNotifications notifications, Tokens tokens,
		int nodeCount, int quorum, Set<RedlockLock> extending) {
}
