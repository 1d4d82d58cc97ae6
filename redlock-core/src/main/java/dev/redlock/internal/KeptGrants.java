package dev.redlock.internal;

import java.util.List;

import dev.redlock.NodeVote;
import dev.redlock.NodeVote.Vote;

/**
 * The grants of an attempt that did not win a quorum yet but keeps them while the other nodes
 * are asked again with the same token: a probe's second half, or a split kept by
 * {@link SplitRule}.
 *
 * @param tally the last round's votes, the kept grants among them
 * @param token the attempt's token
 * @param since when the kept keys were first sent: the lock's validity runs from then
 * @param reAsks the delayed re-asks so far
 */
record KeptGrants(Tally tally, String token, long since, int reAsks) {

	/** The first round of an attempt whose grants are kept. */
	static KeptGrants first(Tally tally, String token) {
		return new KeptGrants(tally, token, tally.startedAt(), 0);
	}

	/** The same attempt after another round, one more delayed re-ask counted. */
	KeptGrants reAsked(Tally next) {
		return new KeptGrants(next, this.token, this.since, this.reAsks + 1);
	}

	/** The nodes that granted: not to be asked again. */
	boolean[] granted() {
		List<NodeVote> votes = this.tally.votes();
		boolean[] granted = new boolean[votes.size()];
		for (int i = 0; i < granted.length; i++) {
			granted[i] = votes.get(i).vote() == Vote.GRANTED;
		}
		return granted;
	}

}
