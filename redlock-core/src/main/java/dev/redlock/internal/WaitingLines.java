package dev.redlock.internal;

/**
 * Waiting lines: how a contended key goes to the waiter that has waited longest, in one round
 * trip, instead of to whichever of its waiters races to the nodes first.
 *
 * <p>
 * A single-resource acquisition that must wait puts a line id of its own at the end of the
 * key's line on every node ({@link Scripts#ENTER_LINE}), once subscribed to the key's
 * releases. A release hands the key to the line's head: instead of deleting it, the node
 * reserves it for the head for {@value #RESERVATION_MILLIS} ms and publishes
 * {@code token/head key}. The head, told so by a quorum of nodes, claims the key on every
 * node at once ({@link Scripts#CLAIM}); nobody else can set a reserved key, so a process that
 * comes back for the lock at that moment cannot take it from under the line, and the woken
 * waiters do not split the vote among themselves. Each node keeps its own line, and waiters
 * enter them all in the same round trip, so the lines agree but for waiters that entered
 * within microseconds of each other. Where they disagree, a head named by the key's designated
 * node, or by a quorum, claims the key everywhere, taking the reservations the other nodes
 * made for their own heads, and puts each of those heads back at the front of its node's
 * line, where it was: the lines are in step again for the next release. A head named by too
 * few nodes waits for the next release or its next poll. A node that took the release only
 * after the head's claim (the two come on different connections) refused the claim, the old
 * lock still there, and keeps the head first in its line: the head, which won on the others,
 * claims it there again once that node reserves the key for it ({@link HeadClaim}), instead of
 * leaving the key to the next waiter, which could not win it.
 *
 * <p>
 * None of this costs safety: a reservation only refuses more, and a lock's validity is still
 * measured from its own claim. Nor liveness: a reservation nobody claims (the head died, or
 * paused longer than the reservation) lapses, the key is free again, and the waiters' polls
 * find it; an acquisition that ends without the lock leaves every line and hands on a
 * reservation held for it ({@link Scripts#LEAVE_LINE}). Uncontended acquisitions never touch
 * a line: their one attempt is a plain SET. Only when the Redlock already hears the key's
 * line releases (another of its acquisitions waits for the key, or did a moment ago) does a
 * first attempt run {@link Scripts#ENTER_LINE} instead, which sets the key where it is free
 * and enters the line where it is not: the waiters of a key contended again and again save
 * the entry's round trip. A node whose user may not touch the line keys (an ACL that names
 * the lock keys only) is used without lines, reported once.
 *
 * <p>
 * A line key is {@code redlock:line:} followed by a hash tag with the resource's Redis Cluster
 * slot, as a fencing counter's key is (see {@link FenceKeys}); resources may not start with
 * {@code redlock:line:}.
 */
final class WaitingLines {

	/** The prefix of every line key, reserved: resources may not start with it. */
	static final String PREFIX = "redlock:line:";

	/**
	 * How long a released key stays reserved for its line's head: long enough for the head to
	 * hear of it and claim it on a loaded machine, short enough that a head that died costs the
	 * others little next to their polls.
	 */
	static final long RESERVATION_MILLIS = 50;

	/** The least a line is kept after a waiter entered it, or was put back at its front. */
	static final long MIN_LINE_EXPIRY_MILLIS = 10_000;

	private static final long MAX_LINE_EXPIRY_MILLIS = 86_400_000;

	/** What a node's {@link Scripts#ENTER_LINE} says of the key. */
	enum Entered {

		/** In line: the key is held, or reserved for another waiter. */
		IN_LINE,

		/** The key is free: try now. */
		FREE,

		/** The key is reserved for this waiter: claim it now. */
		RESERVED_FOR_THIS_WAITER,

		/** The node keeps no lines: it refused their keys or commands. */
		NO_LINES

	}

	/**
	 * What a node's {@link Scripts#CLAIM} did.
	 * @param set whether it set the key to the claim's token
	 * @param heldBy the token of the lock that holds the key, if a lock refused the claim
	 */
	record Claimed(boolean set, String heldBy) {

		static final Claimed SET = new Claimed(true, null);

		/** Refused, and nothing said why: the key is reserved for another waiter, or there are no lines. */
		static final Claimed REFUSED = new Claimed(false, null);

	}

	private WaitingLines() {
	}

	/**
	 * How long a line is kept after a waiter with {@code settings} entered it: three of the
	 * waiter's longest poll intervals, since it enters again each time it polls, and at least
	 * {@value #MIN_LINE_EXPIRY_MILLIS} ms. A line whose waiters are gone (their leaving lost
	 * with a connection) thus goes soon after them.
	 */
	static long expiryMillis(Settings settings) {
		long longestPoll = 8 * (settings.retryDelay().toMillis() + settings.retryJitter().toMillis());
		return Math.max(MIN_LINE_EXPIRY_MILLIS, Math.min(MAX_LINE_EXPIRY_MILLIS, 3 * longestPoll));
	}

	/** The line key of {@code resource}, in its slot. */
	static String keyOf(String resource) {
		return FenceKeys.inSlotOf(PREFIX, resource);
	}

	/**
	 * The waiter a release message names, or {@code null}: a release is told of as
	 * {@code token key}, or {@code token/head key} when it reserved the key for a line's head.
	 */
	static String headOf(String release) {
		int slash = release.indexOf('/');
		return (slash < 0) ? null : release.substring(slash + 1);
	}

	/** The release a message's first word tells of, without the head it names. */
	static String releaseOf(String release) {
		int slash = release.indexOf('/');
		return (slash < 0) ? release : release.substring(0, slash);
	}

}
