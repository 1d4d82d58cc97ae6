package dev.redlock.benchmarks.report;

import java.util.Map;

import dev.redlock.benchmarks.RunSettings;
import dev.redlock.benchmarks.contenders.Contender;

/** Scenario (c)'s parts of the page: one key, in one JVM and in two, and what the nodes executed. */
final class ContendedTables {

	private final Cases cases;

	ContendedTables(Cases cases) {
		this.cases = cases;
	}

	/** One table per node count and worker count; ratios are to rows of the same scenario. */
	String contended(String scenario) {
		StringBuilder out = new StringBuilder();
		long overlaps = 0;
		for (int nodes : this.cases.nodeCounts(scenario)) {
			for (int workers : RunSettings.CONTENDED_WORKERS) {
				Table table = new Table("contender", "acq/s", "÷ floor's", "redlock's ÷ this", "handoff p50",
						"handoff p99", "wait p50", "wait p99", "same worker again", "fewest–most per worker",
						"commands/acq", "timeouts");
				for (Result r : this.cases.results(scenario, nodes, workers)) {
					Result.Contention c = r.contention();
					overlaps += c.overlaps();
					table.row("`" + r.contender() + "`", Format.rate(r.opsPerS()),
							this.cases.against(r, Cases.FLOOR, (x) -> x.opsPerS().median(), false),
							this.cases.against(r, Cases.REDLOCK, (x) -> x.opsPerS().median(), true),
							Format.micros(c.handoffP50Us()), Format.micros(c.handoffP99Us()), Format.micros(r.p50Us()),
							Format.micros(r.p99Us()), Format.percent(c.reacquired().median()), perWorker(c),
							Format.decimal(r.commandsPerOp()), Long.toString(c.timeouts()));
				}
				if (!table.isEmpty()) {
					out.append("#### ").append(Cases.nodes(nodes)).append(", ").append(workers)
						.append(" workers\n\n").append(table.render()).append('\n');
				}
			}
		}
		out.append((overlaps == 0)
				? "Mutual exclusion held throughout: no worker ever acquired the lock while another still held it."
				: "**" + overlaps + " acquisitions overlapped another holder's.** A lock that does that is broken;"
						+ " the rows above count them per contender in `results.json` (`overlaps`).");
		return out.toString();
	}

	String contendedInTwoJvms() {
		if (this.cases.nodeCounts(Result.CONTENDED_TWO_JVMS).isEmpty()) {
			return "Not measured in this run: `--scenarios` left `" + Result.CONTENDED_TWO_JVMS
					+ "` out, or `--nodes` left out 3 and 5.";
		}
		StringBuilder out = new StringBuilder(contended(Result.CONTENDED_TWO_JVMS)).append("\n\n");
		Table table = new Table("contender", "nodes", "workers", "acq/s: two JVMs ÷ one", "wait p99: two JVMs ÷ one",
				"fewest–most per worker: one JVM", "two JVMs");
		for (int nodes : this.cases.nodeCounts(Result.CONTENDED_TWO_JVMS)) {
			for (int workers : RunSettings.CONTENDED_WORKERS) {
				for (Result two : this.cases.results(Result.CONTENDED_TWO_JVMS, nodes, workers)) {
					this.cases.find(Result.CONTENDED, two.contender(), nodes, workers)
						.ifPresent((one) -> table.row("`" + two.contender() + "`", Integer.toString(nodes),
								Integer.toString(workers),
								Format.ratio(ResultsJson.ratio(two.opsPerS().median(), one.opsPerS().median())),
								Format.ratio(ResultsJson.ratio(two.p99Us().median(), one.p99Us().median())),
								perWorker(one.contention()), perWorker(two.contention())));
				}
			}
		}
		out.append(table.isEmpty() ? "The one-JVM run of the same cases was not in this run, so there is nothing to"
				+ " set the two-JVM rows against." : "#### Two JVMs against one, same run\n\n" + table.render());
		return out.toString();
	}

	private static String perWorker(Result.Contention contention) {
		return Math.round(contention.fewestPerWorker().median()) + "–"
				+ Math.round(contention.mostPerWorker().median());
	}

	/** What the nodes executed per acquisition, by command: where the contended rates come from. */
	String commandBreakdown() {
		int workers = RunSettings.CONTENDED_WORKERS[0];
		StringBuilder out = new StringBuilder();
		for (Contender contender : Headline.contenders()) {
			int nodes = Headline.nodes(contender);
			this.cases.find(Result.CONTENDED, contender.id(), nodes, workers).ifPresent((r) -> {
				StringBuilder commands = new StringBuilder();
				r.commands()
					.entrySet()
					.stream()
					.sorted(Map.Entry.<String, Double>comparingByValue().reversed())
					.filter((e) -> e.getValue() >= 0.05)
					.forEach((e) -> commands.append(commands.isEmpty() ? "" : ", ")
						.append(e.getKey())
						.append(' ')
						.append(Format.decimal(e.getValue())));
				out.append("- `").append(contender.id()).append("` (").append(Cases.nodes(nodes)).append("): ")
					.append(Format.decimal(r.commandsPerOp())).append(" — ").append(commands).append('\n');
			});
		}
		return out.isEmpty() ? "No contended results in this run." : out.toString();
	}

}
