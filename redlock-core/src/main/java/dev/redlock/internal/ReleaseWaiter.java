package dev.redlock.internal;

import dev.redlock.internal.ReleaseNotifications.Wake;

/** Something waiting for a key to be released, told by {@link ReleaseNotifications}. */
interface ReleaseWaiter {

	/**
	 * Wakes the waiter; false if it no longer waits, so the next one is woken instead.
	 * @param why whether the key was released, or reserved for this waiter as the head of
	 * its {@linkplain WaitingLines waiting line}
	 * @param key the key whose release woke it
	 * @param release the released lock's token: a lock on several of the waiter's keys is
	 * told of once per key, and is one release
	 */
	boolean wake(Wake why, String key, String release);

	/** The waiter's id in the key's waiting lines, once it entered one; {@code null} before. */
	String lineId();

	/**
	 * Node {@code node} reserved the key for this waiter, the head of its line: told of
	 * every such message, whether it wakes the waiter or not, and also once the waiter has
	 * its lock (see {@link HeadClaim}).
	 */
	void reservedBy(int node);

}
