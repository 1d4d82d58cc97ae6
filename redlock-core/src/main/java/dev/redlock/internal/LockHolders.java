package dev.redlock.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Who holds a key on the nodes that refused one round of a line waiter's claims, as each
 * node's {@link Scripts#CLAIM} said: the token of the lock there. A round that failed on one
 * lock held on so many nodes that no claim can win while it stands is no split vote: nobody
 * is to come back within a few round trips, for that lock's release will name the line's
 * next head. Nor to keep its grants, unless that lock is the one whose release woke the
 * waiter, still on its way to those nodes. Written by the nodes' replies, each before its
 * reply completes, and read once the round is decided.
 */
final class LockHolders {

	private final AtomicReferenceArray<String> tokens;

	LockHolders(int nodes) {
		this.tokens = new AtomicReferenceArray<>(nodes);
	}

	/** Node {@code node} refused the claim: the lock {@code token} holds the key there. */
	void held(int node, String token) {
		this.tokens.set(node, token);
	}

	/** Whether a lock held the key on node {@code node} when it refused the claim. */
	boolean heldAt(int node) {
		return this.tokens.get(node) != null;
	}

	/**
	 * Whether one lock holds more nodes than a claim can do without, so nobody else can win a
	 * quorum while it stands; not the lock {@code released}, whose release, told by another
	 * node, is still on its way to these.
	 */
	boolean lockOut(int quorum, String released) {
		int nodes = this.tokens.length();
		Map<String, Integer> held = new HashMap<>(4);
		for (int i = 0; i < nodes; i++) {
			String token = this.tokens.get(i);
			if (token != null && !token.equals(released) && held.merge(token, 1, Integer::sum) > nodes - quorum) {
				return true;
			}
		}
		return false;
	}

}
