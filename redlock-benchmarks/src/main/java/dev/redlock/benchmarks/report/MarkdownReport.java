package dev.redlock.benchmarks.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

import dev.redlock.benchmarks.RunSettings;
import dev.redlock.benchmarks.aspect.AspectContender;
import dev.redlock.benchmarks.contenders.Contender;
import dev.redlock.benchmarks.contenders.Contenders;

/**
 * {@code benchmarks.md}: the prose of {@code benchmarks-page.md} with every number filled in
 * from the run, so that the page and the JSON never disagree.
 */
final class MarkdownReport {

	private static final String REDLOCK = "redlock";

	private static final String FLOOR = "floor";

	private final BenchmarkRun run;

	private final List<String> charts;

	MarkdownReport(BenchmarkRun run, List<String> charts) {
		this.run = run;
		this.charts = charts;
	}

	String render() throws IOException {
		String page = template();
		Map<String, String> parts = Map.ofEntries(Map.entry("banner", banner()), Map.entry("command", command()),
				Map.entry("glance", glance()), Map.entry("targets", Targets.table(this.run)),
				Map.entry("peers", peers()), Map.entry("charts", charts()), Map.entry("machine", machine()),
				Map.entry("contenders", contenders()), Map.entry("settings", settings()),
				Map.entry("uncontended", uncontended()), Map.entry("distinct", distinct()),
				Map.entry("contended", contended(Result.CONTENDED)),
				Map.entry("contended-2jvm", contendedInTwoJvms()), Map.entry("commands", commandBreakdown()),
				Map.entry("aspect", aspect()),
				Map.entry("commands-workers", Integer.toString(RunSettings.CONTENDED_WORKERS[0])));
		for (Map.Entry<String, String> part : parts.entrySet()) {
			page = page.replace("{{" + part.getKey() + "}}", part.getValue().strip());
		}
		return page;
	}

	private static String template() throws IOException {
		try (InputStream in = MarkdownReport.class.getResourceAsStream("/benchmarks-page.md")) {
			if (in == null) {
				throw new IOException("benchmarks-page.md is missing from the class path");
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	private String banner() {
		String when = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
			.format(this.run.startedAt().atOffset(ZoneOffset.UTC));
		String generated = "Generated " + when + " by `redlock-benchmarks` in **" + this.run.settings().mode()
				+ " mode** (" + this.run.took().toSeconds() + " s), commit " + this.run.machine().commit() + ".";
		if (this.run.settings().isQuick()) {
			return "> **These are quick-mode numbers: windows of " + this.run.settings().measure().toMillis()
					+ " ms, taken to check the harness, not to compare libraries.** Run the full command below on a"
					+ " quiet machine before drawing conclusions.\n>\n> " + generated;
		}
		return "> " + generated;
	}

	private String command() {
		String full = this.run.command().replace(" --quick", "");
		return "```sh\n# everything, at most 10 minutes on 2 cores: rewrites this page, docs/benchmarks/*.png and results.json\n"
				+ full + "\n\n# the same in under 2 minutes, with windows too short to compare libraries\n" + full
				+ " --quick\n```";
	}

	private String glance() {
		int[] workers = RunSettings.CONTENDED_WORKERS;
		int threads = RunSettings.DISTINCT_KEY_THREADS[1];
		Table table = new Table("contender", "nodes", "uncontended p50", "uncontended p99",
				"distinct keys, " + threads + " threads", "contended, " + workers[0] + " workers",
				"contended, " + workers[1] + " workers", "wait p99, " + workers[0] + " workers",
				"handoff p50, " + workers[0] + " workers");
		for (Contender contender : Headline.contenders()) {
			int nodes = Headline.nodes(contender);
			Optional<Result> a = find(Result.UNCONTENDED, contender.id(), nodes, 1);
			Optional<Result> b = find(Result.DISTINCT_KEYS, contender.id(), nodes, threads);
			Optional<Result> c8 = find(Result.CONTENDED, contender.id(), nodes, workers[0]);
			Optional<Result> c32 = find(Result.CONTENDED, contender.id(), nodes, workers[1]);
			if (a.isEmpty() && b.isEmpty() && c8.isEmpty() && c32.isEmpty()) {
				continue;
			}
			table.row("`" + contender.id() + "`", Integer.toString(nodes),
					a.map((r) -> Format.micros(r.p50Us().median())).orElse("–"),
					a.map((r) -> Format.micros(r.p99Us().median())).orElse("–"),
					b.map((r) -> Format.rate(r.opsPerS().median()) + " ops/s").orElse("–"),
					c8.map((r) -> Format.rate(r.opsPerS().median()) + " acq/s").orElse("–"),
					c32.map((r) -> Format.rate(r.opsPerS().median()) + " acq/s").orElse("–"),
					c8.map((r) -> Format.micros(r.p99Us().median())).orElse("–"),
					c8.map((r) -> Format.micros(r.contention().handoffP50Us().median())).orElse("–"));
		}
		return table.render();
	}

	/** This project's core on three nodes against every peer, as ratios of the medians. */
	private String peers() {
		int[] workers = RunSettings.CONTENDED_WORKERS;
		int threads = RunSettings.DISTINCT_KEY_THREADS[1];
		Table table = new Table("peer (nodes)", "uncontended p50: redlock ÷ peer", "distinct keys " + threads
				+ " threads, ops/s: redlock ÷ peer", "contended " + workers[0] + " workers, acq/s: redlock ÷ peer",
				"contended " + workers[1] + " workers, acq/s: redlock ÷ peer",
				"wait p99 " + workers[0] + " workers: redlock ÷ peer");
		int nodes = Headline.NODES;
		for (Contender peer : Headline.contenders()) {
			if (peer.id().equals(REDLOCK)) {
				continue;
			}
			int peerNodes = Headline.nodes(peer);
			table.row("`" + peer.id() + "` (" + peerNodes + ")",
					ratio(Result.UNCONTENDED, 1, nodes, peer.id(), peerNodes, (r) -> r.p50Us().median()),
					ratio(Result.DISTINCT_KEYS, threads, nodes, peer.id(), peerNodes, (r) -> r.opsPerS().median()),
					ratio(Result.CONTENDED, workers[0], nodes, peer.id(), peerNodes, (r) -> r.opsPerS().median()),
					ratio(Result.CONTENDED, workers[1], nodes, peer.id(), peerNodes, (r) -> r.opsPerS().median()),
					ratio(Result.CONTENDED, workers[0], nodes, peer.id(), peerNodes, (r) -> r.p99Us().median()));
		}
		return "Redlock on " + nodes + " nodes, divided by each peer (single-node peers on their one node). "
				+ "For latencies below 1 is better, for rates above 1.\n\n" + table.render();
	}

	private String ratio(String scenario, int threads, int nodes, String peer, int peerNodes,
			Function<Result, Double> metric) {
		Optional<Result> ours = find(scenario, REDLOCK, nodes, threads);
		Optional<Result> theirs = find(scenario, peer, peerNodes, threads);
		if (ours.isEmpty() || theirs.isEmpty()) {
			return "–";
		}
		return Format.ratio(ResultsJson.ratio(metric.apply(ours.get()), metric.apply(theirs.get())));
	}

	private String charts() {
		StringBuilder out = new StringBuilder();
		for (String chart : this.charts) {
			out.append("![").append(chart.replace(".png", "").replace('-', ' ')).append("](benchmarks/").append(chart)
				.append(")\n\n");
		}
		return out.toString();
	}

	private String machine() {
		var machine = this.run.machine();
		Table table = new Table("what", "value");
		table.row("cores (nproc)", Integer.toString(machine.cores()));
		table.row("CPU", machine.cpu());
		table.row("JDK", machine.jdk());
		table.row("redis-server", machine.redisServer());
		machine.libraries().forEach((name, version) -> table.row(name, version));
		table.row("loopback PING round trip (Lettuce sync, one node)",
				"p50 " + Format.micros(this.run.pingP50Us()) + ", p99 " + Format.micros(this.run.pingP99Us()));
		return table.render();
	}

	private String contenders() {
		Table table = new Table("contender", "what it is", "runs on");
		for (Contender contender : Contenders.all()) {
			table.row("`" + contender.id() + "`", contender.description(),
					contender.runsOn(3) ? "1, 3 and 5 nodes" : "1 node");
		}
		String aspectNodes = nodeList(RunSettings.ASPECT_NODE_COUNTS) + ", scenario (e) only";
		for (AspectContender contender : AspectContender.values()) {
			table.row("`" + contender.id() + "`", contender.description(), aspectNodes);
		}
		return table.render();
	}

	/** {@code 1 and 3 nodes}. */
	private static String nodeList(int[] counts) {
		StringBuilder out = new StringBuilder();
		for (int i = 0; i < counts.length; i++) {
			out.append((i == 0) ? "" : (i == counts.length - 1) ? " and " : ", ").append(counts[i]);
		}
		return out.append((counts.length == 1 && counts[0] == 1) ? " node" : " nodes").toString();
	}

	private String settings() {
		RunSettings settings = this.run.settings();
		return String.format(Locale.ROOT,
				"This run: %d runs per contender and case, each measuring %d ms after %d ms of settling; %d ms of"
						+ " warm-up before a contender's first run (JMH: %d warm-up iterations of %d ms in a fresh"
						+ " JVM). Locks are taken with a %d s ttl.",
				settings.runs(), settings.measure().toMillis(), settings.settle().toMillis(),
				settings.warmup().toMillis(), settings.jmhWarmupIterations(), settings.warmup().toMillis(),
				RunSettings.TTL.toSeconds());
	}

	private String uncontended() {
		StringBuilder out = new StringBuilder();
		for (int nodes : nodeCounts(Result.UNCONTENDED)) {
			Table table = new Table("contender", "p50", "p99", "p99.9", "ops/s", "p50 ÷ floor's",
					"redlock's p50 ÷ this", "commands/op");
			for (Result r : results(Result.UNCONTENDED, nodes, 1)) {
				table.row("`" + r.contender() + "`", Format.micros(r.p50Us()), Format.micros(r.p99Us()),
						Format.micros(r.p999Us()), Format.rate(r.opsPerS()),
						against(r, FLOOR, (x) -> x.p50Us().median(), false),
						against(r, REDLOCK, (x) -> x.p50Us().median(), true), Format.decimal(r.commandsPerOp()));
			}
			out.append("#### ").append(nodes).append(nodes == 1 ? " node" : " nodes").append("\n\n")
				.append(table.render()).append('\n');
		}
		return out.toString();
	}

	private String distinct() {
		StringBuilder out = new StringBuilder();
		for (int nodes : nodeCounts(Result.DISTINCT_KEYS)) {
			for (int threads : RunSettings.DISTINCT_KEY_THREADS) {
				Table table = new Table("contender", "ops/s", "÷ floor's", "redlock's ÷ this", "p50", "p99",
						"commands/op");
				for (Result r : results(Result.DISTINCT_KEYS, nodes, threads)) {
					table.row("`" + r.contender() + "`", Format.rate(r.opsPerS()),
							against(r, FLOOR, (x) -> x.opsPerS().median(), false),
							against(r, REDLOCK, (x) -> x.opsPerS().median(), true), Format.micros(r.p50Us()),
							Format.micros(r.p99Us()), Format.decimal(r.commandsPerOp()));
				}
				if (!table.isEmpty()) {
					out.append("#### ").append(nodes).append(nodes == 1 ? " node, " : " nodes, ").append(threads)
						.append(" threads\n\n").append(table.render()).append('\n');
				}
			}
		}
		return out.toString();
	}

	private String contendedInTwoJvms() {
		if (nodeCounts(Result.CONTENDED_TWO_JVMS).isEmpty()) {
			return "Not measured in this run: `--scenarios` left `" + Result.CONTENDED_TWO_JVMS
					+ "` out, or `--nodes` left out 3 and 5.";
		}
		StringBuilder out = new StringBuilder(contended(Result.CONTENDED_TWO_JVMS)).append("\n\n");
		Table table = new Table("contender", "nodes", "workers", "acq/s: two JVMs ÷ one", "wait p99: two JVMs ÷ one",
				"fewest–most per worker: one JVM", "two JVMs");
		for (int nodes : nodeCounts(Result.CONTENDED_TWO_JVMS)) {
			for (int workers : RunSettings.CONTENDED_WORKERS) {
				for (Result two : results(Result.CONTENDED_TWO_JVMS, nodes, workers)) {
					find(Result.CONTENDED, two.contender(), nodes, workers).ifPresent((one) -> table.row(
							"`" + two.contender() + "`", Integer.toString(nodes), Integer.toString(workers),
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

	/** One table per node count and worker count; ratios are to rows of the same scenario. */
	private String contended(String scenario) {
		StringBuilder out = new StringBuilder();
		long overlaps = 0;
		for (int nodes : nodeCounts(scenario)) {
			for (int workers : RunSettings.CONTENDED_WORKERS) {
				Table table = new Table("contender", "acq/s", "÷ floor's", "redlock's ÷ this", "handoff p50",
						"handoff p99", "wait p50", "wait p99", "same worker again", "fewest–most per worker", "commands/acq", "timeouts");
				for (Result r : results(scenario, nodes, workers)) {
					Result.Contention c = r.contention();
					overlaps += c.overlaps();
					table.row("`" + r.contender() + "`", Format.rate(r.opsPerS()),
							against(r, FLOOR, (x) -> x.opsPerS().median(), false),
							against(r, REDLOCK, (x) -> x.opsPerS().median(), true), Format.micros(c.handoffP50Us()),
							Format.micros(c.handoffP99Us()), Format.micros(r.p50Us()), Format.micros(r.p99Us()),
							Format.percent(c.reacquired().median()),
							perWorker(c),
							Format.decimal(r.commandsPerOp()),
							Long.toString(c.timeouts()));
				}
				if (!table.isEmpty()) {
					out.append("#### ").append(nodes).append(nodes == 1 ? " node, " : " nodes, ").append(workers)
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

	/** What the nodes executed per acquisition, by command: where the contended rates come from. */
	private String commandBreakdown() {
		int workers = RunSettings.CONTENDED_WORKERS[0];
		StringBuilder out = new StringBuilder();
		for (Contender contender : Headline.contenders()) {
			int nodes = Headline.nodes(contender);
			find(Result.CONTENDED, contender.id(), nodes, workers).ifPresent((r) -> {
				StringBuilder commands = new StringBuilder();
				r.commands().entrySet().stream()
					.sorted(Map.Entry.<String, Double>comparingByValue().reversed())
					.filter((e) -> e.getValue() >= 0.05)
					.forEach((e) -> commands.append(commands.isEmpty() ? "" : ", ").append(e.getKey()).append(' ')
						.append(Format.decimal(e.getValue())));
				out.append("- `").append(contender.id()).append("` (").append(nodes).append(nodes == 1 ? " node" : " nodes")
					.append("): ").append(Format.decimal(r.commandsPerOp())).append(" — ").append(commands).append('\n');
			});
		}
		return out.isEmpty() ? "No contended results in this run." : out.toString();
	}

	/**
	 * The aspect's rows against the direct core call on the same Redlock bean, per node count:
	 * the overhead is the difference of their medians, and their ratio.
	 */
	private String aspect() {
		TreeSet<Integer> counts = nodeCounts(Result.ASPECT);
		if (counts.isEmpty()) {
			return "Not measured in this run: `--scenarios` left `" + Result.ASPECT + "` out.";
		}
		String reference = AspectContender.CORE_DIRECT.id();
		StringBuilder out = new StringBuilder();
		for (int nodes : counts) {
			Table table = new Table("contender", "p50", "p99", "p99.9", "ops/s", "p50 − " + reference + "'s",
					"p50 ÷ " + reference + "'s", "p99 − " + reference + "'s", "commands/op");
			Optional<Result> direct = find(Result.ASPECT, reference, nodes, 1);
			for (AspectContender contender : AspectContender.values()) {
				find(Result.ASPECT, contender.id(), nodes, 1).ifPresent((r) -> {
					boolean isReference = contender == AspectContender.CORE_DIRECT || direct.isEmpty();
					table.row("`" + r.contender() + "`", Format.micros(r.p50Us()), Format.micros(r.p99Us()),
							Format.micros(r.p999Us()), Format.rate(r.opsPerS()),
							isReference ? "–" : overhead(r, direct.get(), (x) -> x.p50Us().median()),
							isReference ? "–" : Format.ratio(ResultsJson.ratio(r.p50Us().median(),
									direct.get().p50Us().median())),
							isReference ? "–" : overhead(r, direct.get(), (x) -> x.p99Us().median()),
							Format.decimal(r.commandsPerOp()));
				});
			}
			out.append("#### ").append(nodes).append(nodes == 1 ? " node" : " nodes").append("\n\n")
				.append(table.render()).append('\n');
		}
		RunSettings.Rounds rounds = this.run.settings().aspect();
		out.append(String.format(Locale.ROOT,
				"This run: %d runs per contender and node count, each measuring %d ms after %d ms of settling, %d ms"
						+ " of warm-up before a contender's first run, all in one JVM and one Spring Boot context"
						+ " per node count.",
				rounds.runs(), rounds.measure().toMillis(), rounds.settle().toMillis(), rounds.warmup().toMillis()));
		return out.toString();
	}

	private static String overhead(Result row, Result reference, Function<Result, Double> metric) {
		return Format.microsDifference(metric.apply(row) - metric.apply(reference));
	}

	/**
	 * This row's metric divided by the reference contender's in the same case, or, with
	 * {@code inverse}, the reference's divided by this row's.
	 */
	private String against(Result row, String reference, Function<Result, Double> metric, boolean inverse) {
		return find(row.scenario(), reference, row.nodes(), row.threads())
			.map((ref) -> Format.ratio(inverse ? ResultsJson.ratio(metric.apply(ref), metric.apply(row))
					: ResultsJson.ratio(metric.apply(row), metric.apply(ref))))
			.orElse("–");
	}

	private Optional<Result> find(String scenario, String contender, int nodes, int threads) {
		return this.run.find(scenario, contender, nodes, threads);
	}

	/** The results of one case, in the contenders' report order whatever order they ran in. */
	private List<Result> results(String scenario, int nodes, int threads) {
		List<String> order = Contenders.all().stream().map(Contender::id).toList();
		return this.run.results()
			.stream()
			.filter((r) -> r.scenario().equals(scenario) && r.nodes() == nodes && r.threads() == threads)
			.sorted(Comparator.comparingInt((Result r) -> order.indexOf(r.contender())))
			.toList();
	}

	private TreeSet<Integer> nodeCounts(String scenario) {
		TreeSet<Integer> counts = new TreeSet<>();
		this.run.results().stream().filter((r) -> r.scenario().equals(scenario)).forEach((r) -> counts.add(r.nodes()));
		return counts;
	}

}
