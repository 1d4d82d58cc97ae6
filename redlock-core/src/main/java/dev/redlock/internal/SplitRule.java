package dev.redlock.internal;

import java.util.List;

import dev.redlock.NodeVote;
import dev.redlock.NodeVote.Vote;

/**
 * How a split vote is broken by rule rather than by luck. Every key has a designated node, the
 * same in every process (from {@link String#hashCode()}, which Java specifies). Retries ask
 * that node alone first, so contenders that both retry never split; a split can only happen
 * between a first attempt, sent to every node at once, and another contender. When an
 * attempt wins no quorum, the contender that won the designated node keeps its grants and
 * re-asks only the nodes that refused it; the others, having lost that node, yield (undo at
 * once and back off past the keeper's re-ask). Only one contender can hold the designated
 * node, so only one keeps.
 *
 * <p>
 * It applies only when every node answered: with a node down or slow, two contenders could
 * see different nodes answer and both believe they keep, so the random back-off decides as
 * before. Keeping never makes a lock unsafe: its validity is measured from the first send of
 * the kept keys, re-asks count as attempts, and a keeper that runs out of re-asks, attempts
 * or time undoes every node but those that refused it.
 */
final class SplitRule {

	private SplitRule() {
	}

	/** The designated node of a lock on {@code keys}: its first key's. */
	static int designated(String[] keys, int nodes) {
		// Spread the hash: keys that differ only in a trailing digit should not share a node.
		int h = keys[0].hashCode() * 0x9E3779B9;
		return Math.floorMod(h ^ (h >>> 16), nodes);
	}

	/** Whether a failed attempt keeps its grants: it won the designated node, nobody failed, somebody refused. */
	static boolean keeps(List<NodeVote> votes, int designated) {
		if (votes.get(designated).vote() != Vote.GRANTED) {
			return false;
		}
		boolean refused = false;
		for (NodeVote vote : votes) {
			if (vote.vote() == Vote.FAILED) {
				return false;
			}
			refused |= vote.vote() == Vote.REFUSED;
		}
		return refused;
	}

	/** Whether a failed attempt lost the designated node while it won others: it yields to the keeper. */
	static boolean yields(List<NodeVote> votes, int designated) {
		if (votes.get(designated).vote() != Vote.REFUSED) {
			return false;
		}
		return votes.stream().anyMatch((vote) -> vote.vote() == Vote.GRANTED);
	}

}
