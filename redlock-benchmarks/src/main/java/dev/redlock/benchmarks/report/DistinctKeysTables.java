package dev.redlock.benchmarks.report;

import dev.redlock.benchmarks.RunSettings;
import dev.redlock.benchmarks.contenders.ClusterNodesContender;
import dev.redlock.benchmarks.scenarios.ClusterNodesScenario;

/** Scenario (b)'s part of the page: distinct keys on standalone nodes, and on nodes that are clusters. */
final class DistinctKeysTables {

	private final Cases cases;

	DistinctKeysTables(Cases cases) {
		this.cases = cases;
	}

	String distinct() {
		StringBuilder out = new StringBuilder();
		for (int nodes : this.cases.nodeCounts(Result.DISTINCT_KEYS)) {
			for (int threads : RunSettings.DISTINCT_KEY_THREADS) {
				Table table = new Table("contender", "ops/s", "÷ floor's", "redlock's ÷ this", "p50", "p99",
						"commands/op");
				for (Result r : this.cases.results(Result.DISTINCT_KEYS, nodes, threads)) {
					table.row("`" + r.contender() + "`", Format.rate(r.opsPerS()),
							this.cases.against(r, Cases.FLOOR, (x) -> x.opsPerS().median(), false),
							this.cases.against(r, Cases.REDLOCK, (x) -> x.opsPerS().median(), true),
							Format.micros(r.p50Us()), Format.micros(r.p99Us()), Format.decimal(r.commandsPerOp()));
				}
				if (!table.isEmpty()) {
					out.append("#### ").append(Cases.nodes(nodes)).append(", ").append(threads).append(" threads\n\n")
						.append(table.render()).append('\n');
				}
			}
		}
		return out.toString();
	}

	/**
	 * The core on three clusters against the core on three masters, interleaved, with the cost
	 * per lock that carries over to other hardware: commands, and the CPU the nodes and the
	 * client spent per lock, read on each topology's own servers.
	 */
	String clusters() {
		String scenario = ClusterNodesScenario.SCENARIO;
		Table table = new Table("threads", "contender", "topology", "ops/s", "÷ 3 masters'", "p50", "commands/lock",
				"node CPU/lock", "client CPU/lock", "locks/s if every master had a core");
		for (int nodes : this.cases.nodeCounts(scenario)) {
			for (int threads : RunSettings.DISTINCT_KEY_THREADS) {
				for (Result r : this.cases.results(scenario, nodes, threads)) {
					int masters = masters(r);
					Result.CpuPerOp cpu = r.cpu();
					table.row(Integer.toString(threads), "`" + r.contender() + "`", topology(r, nodes),
							Format.rate(r.opsPerS()),
							this.cases.against(r, Cases.REDLOCK, (x) -> x.opsPerS().median(), false),
							Format.micros(r.p50Us()), Format.decimal(r.commandsPerOp()),
							(cpu != null) ? Format.micros(cpu.nodeUs()) : "–",
							(cpu != null) ? Format.micros(cpu.clientUs()) : "–",
							(cpu != null && cpu.nodeUs() > 0) ? Format.rate(nodeCeiling(masters, cpu.nodeUs())) : "–");
				}
			}
		}
		if (table.isEmpty()) {
			return "Not measured in this run: `--scenarios` left `clusters` out, or `--nodes` left out 3.";
		}
		return table.render() + "\nThe last column is what the nodes' CPU alone would allow with the keys spread"
				+ " evenly over the masters and a core for each: masters × 1 s ÷ node CPU per lock. It leaves out the"
				+ " network and the client, which the same hardware would have to scale too.";
	}

	/** The Redis masters a contender's locks are spread over. */
	static int masters(Result r) {
		return r.contender().equals(ClusterNodesContender.ID) ? r.nodes() * ClusterNodesScenario.MASTERS_PER_CLUSTER
				: r.nodes();
	}

	/** Locks per second the nodes' CPU allows with a core per master: every master busy all the time. */
	static double nodeCeiling(int masters, double nodeCpuUsPerLock) {
		return masters * 1e6 / nodeCpuUsPerLock;
	}

	private static String topology(Result r, int nodes) {
		return r.contender().equals(ClusterNodesContender.ID)
				? nodes + " clusters × " + ClusterNodesScenario.MASTERS_PER_CLUSTER + " masters" : nodes + " masters";
	}

}
