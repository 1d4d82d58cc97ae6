package dev.redlock.internal;

import java.util.List;

import dev.redlock.NodeVote;
import dev.redlock.NodeVote.Vote;

/**
 * The grants one {@link Acquisition} keeps while it asks the other nodes again with the same
 * token, instead of undoing them: a probe's grant on the key's designated node, until the
 * other nodes have answered; or a split vote that {@link SplitRule} lets it keep, until the
 * refusers have been re-asked, at most {@value #MAX_RE_ASKS} times in a row. Used from the
 * acquisition's events only, so it needs no lock.
 */
final class KeptSplit {

	/** Re-asks in a row of a kept split; past them the keeper undoes and backs off like the rest. */
	static final int MAX_RE_ASKS = 3;

	/** The shortest wait before a re-ask: the yielding contenders' undo must land first. */
	private static final long MIN_RE_ASK_DELAY_NANOS = 20_000L;

	private final Rounds rounds;

	private final String[] keys;

	private final Lease lease;

	/** The last round's votes, the kept grants among them; {@code null} while nothing is kept. */
	private Tally tally;

	private String token;

	/** When the kept keys were first sent: a lock won with them is valid from then. */
	private long since;

	private int reAsks;

	KeptSplit(Rounds rounds, String[] keys, Lease lease) {
		this.rounds = rounds;
		this.keys = keys;
		this.lease = lease;
	}

	boolean isKept() {
		return this.tally != null;
	}

	String token() {
		return this.token;
	}

	/** Until when a lock won by {@code round} is valid: from the first send of the keys kept, if any. */
	long validUntil(Tally round) {
		return this.lease.validUntil(isKept() ? this.since : round.startedAt());
	}

	/** Keeps a probe's grant on the designated node while the other nodes are asked. */
	void keepProbe(Tally probe, String token) {
		hold(probe, token);
	}

	/**
	 * Whether to keep a split's grants and re-ask the refusers rather than undo them: the rule
	 * gives this acquisition the split, re-asks are left, and a lock won a few round trips from
	 * now would still be valid.
	 */
	boolean keeps(Tally round, List<NodeVote> votes, int designated, long validNanos) {
		return SplitRule.keeps(votes, designated) && this.reAsks < MAX_RE_ASKS && validNanos > 4 * roundTrip(round);
	}

	/**
	 * Keeps a split's grants for a re-ask.
	 * @return how long to wait before the re-ask, so the yielding contenders' undo lands first:
	 * half a round trip, doubling with each re-ask
	 */
	long keep(Tally round, String token) {
		if (!isKept()) {
			hold(round, token);
		}
		this.tally = round;
		this.reAsks++;
		return (roundTrip(round) / 2) << (this.reAsks - 1);
	}

	/**
	 * Asks, with the kept token, every node that has not granted it yet, each after its last
	 * reply; as the waiter {@code lineId} of the key's line, if in one, and {@code named} its
	 * head by the designated node; {@code holders} is told of each node where a lock held the key.
	 */
	Tally askTheRest(String lineId, boolean named, LockHolders holders) {
		List<NodeVote> votes = this.tally.votes();
		boolean[] granted = new boolean[votes.size()];
		for (int i = 0; i < granted.length; i++) {
			granted[i] = votes.get(i).vote() == Vote.GRANTED;
		}
		return this.rounds.reAsk(this.keys, this.token, this.lease.ttlMillis(), granted, this.tally.replies(), lineId, named,
				holders);
	}

	/** Undoes the kept grants: the acquisition ends, or gives up the split, without a lock. */
	void undo() {
		this.rounds.undo(this.keys, this.token, this.tally, this.lease);
		forget();
	}

	/** Keeps nothing any more: the grants made a lock, or the last round's undo covers them. */
	void forget() {
		this.tally = null;
		this.token = null;
		this.reAsks = 0;
	}

	private void hold(Tally round, String token) {
		this.tally = round;
		this.token = token;
		this.since = round.startedAt();
		this.reAsks = 0;
	}

	private static long roundTrip(Tally round) {
		return Math.max(round.elapsedNanos(), MIN_RE_ASK_DELAY_NANOS);
	}

}
