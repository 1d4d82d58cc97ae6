package dev.redlock.internal;

import java.util.ArrayList;
import java.util.List;

import dev.redlock.NodeVote;
import dev.redlock.NodeVote.Vote;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The split rule as plain logic over votes: who keeps, who yields, and where. No Redis. */
class SplitRuleTests {

	private static List<NodeVote> votes(Vote... votes) {
		List<NodeVote> list = new ArrayList<>();
		for (int i = 0; i < votes.length; i++) {
			list.add(new NodeVote("node-" + i, votes[i], null));
		}
		return list;
	}

	@Test
	void theDesignatedNodeIsTheSameEverywhereAndSpreadsKeysOverTheNodes() {
		int[] perNode = new int[5];
		for (int i = 0; i < 1000; i++) {
			String[] keys = { "locks:order:" + i };
			int node = SplitRule.designated(keys, 5);
			assertThat(SplitRule.designated(new String[] { new String("locks:order:" + i) }, 5)).isEqualTo(node);
			perNode[node]++;
		}
		for (int count : perNode) {
			assertThat(count).as("keys per node of 1000 over 5").isBetween(120, 280);
		}
		assertThat(SplitRule.designated(new String[] { "a", "b" }, 3)).isEqualTo(SplitRule.designated(new String[] { "a" }, 3));
	}

	@Test
	void theContenderHoldingTheDesignatedNodeKeepsAndTheOthersYield() {
		List<NodeVote> keeper = votes(Vote.GRANTED, Vote.REFUSED, Vote.REFUSED);
		List<NodeVote> other = votes(Vote.REFUSED, Vote.GRANTED, Vote.REFUSED);
		assertThat(SplitRule.keeps(keeper, 0)).isTrue();
		assertThat(SplitRule.yields(keeper, 0)).isFalse();
		assertThat(SplitRule.keeps(other, 0)).isFalse();
		assertThat(SplitRule.yields(other, 0)).isTrue();
	}

	@Test
	void nobodyKeepsWhenANodeFailedOrNobodyRefused() {
		assertThat(SplitRule.keeps(votes(Vote.GRANTED, Vote.FAILED, Vote.REFUSED), 0)).as("a node failed").isFalse();
		assertThat(SplitRule.keeps(votes(Vote.GRANTED, Vote.FAILED, Vote.FAILED), 0)).as("nobody refused").isFalse();
		assertThat(SplitRule.yields(votes(Vote.REFUSED, Vote.REFUSED, Vote.REFUSED), 0)).as("held: nothing to yield")
			.isFalse();
	}

}
