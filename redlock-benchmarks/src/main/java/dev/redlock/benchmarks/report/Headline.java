package dev.redlock.benchmarks.report;

import java.util.List;

import dev.redlock.benchmarks.contenders.Contender;
import dev.redlock.benchmarks.contenders.Contenders;

/**
 * What the headline compares: every contender on three nodes, except the single-node locks,
 * which are shown on the one node they run on. A Redlock on three masters survives a node
 * failure those cannot, so being on par with them is the bar, not an even contest.
 */
final class Headline {

	static final int NODES = 3;

	private Headline() {
	}

	static List<Contender> contenders() {
		return Contenders.all();
	}

	static int nodes(Contender contender) {
		return contender.runsOn(NODES) ? NODES : 1;
	}

}
