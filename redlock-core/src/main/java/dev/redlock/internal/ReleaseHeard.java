package dev.redlock.internal;

import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What the nodes have told so far of one key's latest release, and whom it may wake. Every
 * node publishes the same release, free ({@code token key}) or reserved for the head of its
 * {@linkplain WaitingLines waiting line} ({@code token/head key}); nodes release
 * independently, so a waiter goes only once enough of them let the key go, or its attempt
 * would meet the key still held and lose. Releases of one key follow each other, so one
 * release is tallied at a time. Not thread-safe: guarded by its {@link KeyWaiters}.
 */
final class ReleaseHeard {

	private String token;

	/** The nodes that released the key free. */
	private final BitSet free = new BitSet();

	/** The nodes that reserved the key for each head they named. */
	private final Map<String, BitSet> reservedAt = new HashMap<>(4);

	/** The heads woken by the designated node's reservation, and those woken by a quorum's. */
	private final Set<String> headsWokenEarly = new HashSet<>(4);

	private final Set<String> headsWoken = new HashSet<>(4);

	/** A head to wake: at once once a quorum reserved the key for it, or soon on the designated node's word. */
	record HeadWake(String head, boolean byQuorum) {

	}

	private boolean freeWoken;

	/** Takes in that {@code node} (-1 for this Redlock's own release, decided by a quorum) told of a release. */
	void told(String releasedToken, String head, int node) {
		if (!releasedToken.equals(this.token)) {
			this.token = releasedToken;
			this.free.clear();
			this.reservedAt.clear();
			this.headsWoken.clear();
			this.headsWokenEarly.clear();
			this.freeWoken = false;
		}
		if (node < 0) {
			return;
		}
		if (head == null) {
			this.free.set(node);
		}
		else {
			this.reservedAt.computeIfAbsent(head, (h) -> new BitSet()).set(node);
		}
	}

	/**
	 * Whether a free release may wake a waiter now, the first time it may: a quorum released
	 * it free, the key's designated node among them (woken before that node let the key go,
	 * every waiter would be refused there, and nobody could keep a split); or this Redlock's
	 * own release.
	 */
	boolean freeWakes(boolean ownRelease, int quorum, int nodes, int designated, boolean designatedDown) {
		int heard = this.free.cardinality();
		if (this.freeWoken || (!ownRelease
				&& (heard < quorum || !(this.free.get(designated) || designatedDown || heard == nodes)))) {
			return false;
		}
		this.freeWoken = true;
		return true;
	}

	/**
	 * A head that may go, each at most twice per release: once a quorum of nodes left the key
	 * to it, reserved for it or free (a node that tells of a release has let the key go, so
	 * the head's claim meets the key free there); and, before that, as soon as the key's
	 * designated node reserved the key for it, to go after a short settling wait unless the
	 * quorum comes first. Following the designated node's line alone, only one head goes when
	 * the nodes' lines disagree (waiters that entered within microseconds of each other), and
	 * its claim may take a key another node reserved for another head. While the designated
	 * node is down, only a quorum wakes a head.
	 * @param isLocal whether a head is a waiter of this Redlock; only those are marked woken
	 */
	HeadWake headToWake(int quorum, int designated, boolean designatedDown, Predicate<String> isLocal) {
		for (Map.Entry<String, BitSet> reserved : this.reservedAt.entrySet()) {
			String head = reserved.getKey();
			if (this.headsWoken.contains(head) || !isLocal.test(head)) {
				continue;
			}
			BitSet available = (BitSet) reserved.getValue().clone();
			available.or(this.free);
			if (available.cardinality() >= quorum) {
				this.headsWoken.add(head);
				return new HeadWake(head, true);
			}
			if (!designatedDown && reserved.getValue().get(designated) && this.headsWokenEarly.add(head)) {
				return new HeadWake(head, false);
			}
		}
		return null;
	}

}
