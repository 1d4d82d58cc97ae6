package dev.redlock.benchmarks.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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

	private static final String REDLOCK = Cases.REDLOCK;

	private static final String FENCED = "redlock-fenced";

	private final BenchmarkRun run;

	private final Cases cases;

	private final List<String> charts;

	MarkdownReport(BenchmarkRun run, List<String> charts) {
		this.run = run;
		this.cases = new Cases(run);
		this.charts = charts;
	}

	String render() throws IOException {
		String page = template();
		ContendedTables contended = new ContendedTables(this.cases);
		DistinctKeysTables distinct = new DistinctKeysTables(this.cases);
		Map<String, String> parts = Map.ofEntries(Map.entry("banner", banner()), Map.entry("command", command()),
				Map.entry("glance", glance()), Map.entry("targets", Targets.table(this.run)),
				Map.entry("peers", peers()), Map.entry("charts", charts()), Map.entry("machine", machine()),
				Map.entry("contenders", contenders()), Map.entry("settings", settings()),
				Map.entry("uncontended", uncontended()), Map.entry("fencing", fencing()),
				Map.entry("distinct", distinct.distinct()), Map.entry("clusters", distinct.clusters()),
				Map.entry("contended", contended.contended(Result.CONTENDED)),
				Map.entry("contended-2jvm", contended.contendedInTwoJvms()),
				Map.entry("commands", contended.commandBreakdown()),
				Map.entry("aspect", new AspectTables(this.cases).aspect()),
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
		for (Contender variant : Contenders.uncontendedVariants()) {
			table.row("`" + variant.id() + "`", variant.description(), "1, 3 and 5 nodes, scenario (a) only");
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
		for (int nodes : this.cases.nodeCounts(Result.UNCONTENDED)) {
			Table table = new Table("contender", "p50", "p99", "p99.9", "ops/s", "p50 ÷ floor's",
					"redlock's p50 ÷ this", "commands/op");
			for (Result r : this.cases.results(Result.UNCONTENDED, nodes, 1)) {
				table.row("`" + r.contender() + "`", Format.micros(r.p50Us()), Format.micros(r.p99Us()),
						Format.micros(r.p999Us()), Format.rate(r.opsPerS()),
						this.cases.against(r, Cases.FLOOR, (x) -> x.p50Us().median(), false),
						this.cases.against(r, REDLOCK, (x) -> x.p50Us().median(), true),
						Format.decimal(r.commandsPerOp()));
			}
			out.append("#### ").append(Cases.nodes(nodes)).append("\n\n").append(table.render()).append('\n');
		}
		return out.toString();
	}

	/**
	 * What a fencing token costs, per node count: {@code redlock-fenced} (acquire, the first
	 * {@code fencingToken()}, release) against {@code redlock} in the same run.
	 */
	private String fencing() {
		Table table = new Table("nodes", "`redlock` p50", "`" + FENCED + "` p50", "difference", "fenced ÷ plain",
				"commands/op plain", "fenced");
		for (int nodes : this.cases.nodeCounts(Result.UNCONTENDED)) {
			Optional<Result> plain = this.cases.find(Result.UNCONTENDED, Cases.REDLOCK, nodes, 1);
			Optional<Result> fenced = this.cases.find(Result.UNCONTENDED, FENCED, nodes, 1);
			if (plain.isEmpty() || fenced.isEmpty()) {
				continue;
			}
			double p = plain.get().p50Us().median();
			double f = fenced.get().p50Us().median();
			table.row(Integer.toString(nodes), Format.micros(p), Format.micros(f), Format.microsDifference(f - p),
					Format.ratio(ResultsJson.ratio(f, p)), Format.decimal(plain.get().commandsPerOp()),
					Format.decimal(fenced.get().commandsPerOp()));
		}
		if (table.isEmpty()) {
			return "Not measured in this run: `redlock` and `" + FENCED + "` were not both in the uncontended scenario.";
		}
		return "In this run (medians of the runs above; the two took turns, each run in a JMH fork"
				+ " of its own):\n\n" + table.render();
	}

	private Optional<Result> find(String scenario, String contender, int nodes, int threads) {
		return this.cases.find(scenario, contender, nodes, threads);
	}

}
