package dev.redlock.benchmarks.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.redlock.benchmarks.Machine;
import dev.redlock.benchmarks.RunSettings;
import dev.redlock.benchmarks.measure.PairedDifference;
import dev.redlock.benchmarks.measure.Spread;
import dev.redlock.benchmarks.scenarios.ClusterNodesScenario;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated page and results.json from a made-up run: the fenced rows beside the plain
 * ones, the cluster rows with their cost per lock, and the observers' paired overhead with its
 * target. No Redis.
 */
class ReportPartsTests {

	@Test
	void theFencedRowFollowsRedlocksAndItsCostIsItsRatio() throws Exception {
		BenchmarkRun run = run(List.of(uncontended("floor", 95, 12), uncontended("redlock-fenced", 200, 46.5),
				uncontended("redlock", 100, 15)), List.of());
		String page = new MarkdownReport(run, List.of()).render();
		String table = section(page, "## (a) Uncontended", "### What a fencing token costs");
		assertThat(table.indexOf("| `redlock` |")).isLessThan(table.indexOf("| `redlock-fenced` |"));
		assertThat(table.indexOf("| `redlock-fenced` |")).isLessThan(table.indexOf("| `floor` |"));
		assertThat(section(page, "### What a fencing token costs", "## (b)"))
			.contains("| 3 | 100 µs | 200 µs | +100 µs | 2.00× | 15.0 | 46.5 |");
		String json = ResultsJson.of(run);
		assertThat(record(json, "redlock-fenced")).contains("\"p50_vs_redlock\": 2,")
			.contains("\"overhead_p50_us_vs_redlock\": 100,");
	}

	@Test
	void eachNioRowFollowsWhatItVariesWithItsRatios() throws Exception {
		BenchmarkRun run = run(List.of(uncontended("floor-nio", 110, 6), uncontended("redlock-nio", 120, 6),
				uncontended("floor", 100, 6), uncontended("redlock", 100, 6)), List.of());
		String table = section(new MarkdownReport(run, List.of()).render(), "## (a) Uncontended",
				"### What a fencing token costs");
		assertThat(table.indexOf("| `redlock` |")).isLessThan(table.indexOf("| `redlock-nio` |"));
		assertThat(table.indexOf("| `redlock-nio` |")).isLessThan(table.indexOf("| `floor` |"));
		assertThat(table.indexOf("| `floor` |")).isLessThan(table.indexOf("| `floor-nio` |"));
		// p50 ÷ floor's, then redlock's ÷ this row's.
		assertThat(table).contains("| `redlock-nio` | 120 µs").contains("| 1.20× | 0.83× |");
		assertThat(record(ResultsJson.of(run), "floor-nio")).contains("\"p50_vs_floor\": 1.1,");
	}

	@Test
	void clusterRowsCarryTheirRatioAndCostPerLock() throws Exception {
		Result masters = distinctClusters("redlock", 1000, new Result.CpuPerOp(30, 60));
		Result clusters = distinctClusters("redlock-clusters", 500, new Result.CpuPerOp(45, 120));
		BenchmarkRun run = run(List.of(clusters, masters), List.of());
		String part = section(new MarkdownReport(run, List.of()).render(), "### Nodes that are whole Redis Clusters",
				"## (c)");
		// 3 masters: 3 × 1 s ÷ 30 µs = 100,000 locks/s; 9 masters: 9 × 1 s ÷ 45 µs = 200,000.
		assertThat(part).contains("| 16 | `redlock` | 3 masters | 1,000 <sub>1,000–1,000</sub> | 1.00× | 100 µs <sub>100–100</sub> | 15.0 |"
				+ " 30.0 µs | 60.0 µs | 100,000 |");
		assertThat(part).contains("| 16 | `redlock-clusters` | 3 clusters × 3 masters | 500 <sub>500–500</sub> | 0.50× |"
				+ " 100 µs <sub>100–100</sub> | 15.0 | 45.0 µs | 120 µs | 200,000 |");
		String json = ResultsJson.of(run);
		assertThat(record(json, "redlock-clusters")).contains("\"ops_vs_standalone\": 0.5,")
			.contains("\"node_cpu_us_per_op\": 45,")
			.contains("\"masters\": 9");
	}

	@Test
	void theObserversOverheadIsReportedPairedWithItsTarget() throws Exception {
		List<Result> results = List.of(aspect("core-direct", 100), aspect("aspect", 104), aspect("aspect-observed", 140));
		AspectOverhead met = new AspectOverhead(1, "aspect-observed", "aspect",
				PairedDifference.of(List.of(100.0, 300.0, 200.0, 400.0, 500.0),
						List.of(104.0, 304.0, 204.0, 403.0, 505.0)), 3.4, 9.1);
		AspectOverhead missed = new AspectOverhead(3, "aspect-observed", "aspect",
				PairedDifference.of(List.of(100.0), List.of(112.0)), 3.6, 9.0);
		BenchmarkRun run = run(results, List.of(met, missed));
		String page = new MarkdownReport(run, List.of()).render();
		String aspect = section(page, "## (e)", "## Where the targets");
		assertThat(aspect).contains("| `aspect-observed` | 140 µs").contains("| +40.0 µs | 1.40× |");
		assertThat(aspect).contains("| 1 | 5 | +4.0 µs | ± 0.00 µs | +3.0 µs to +5.0 µs | 1.01× | 3.40 µs | 9.10 µs |"
				+ " met (alone: met) |");
		assertThat(aspect).contains("| 3 | 1 | +12.0 µs | ± 0.00 µs | +12.0 µs to +12.0 µs | 1.12× | 3.60 µs |"
				+ " 9.00 µs | **missed** (alone: met) |");
		String targets = section(page, "### Targets", "### Redlock against each peer");
		assertThat(targets).contains("aspect with meters and observations, 1 node: p50 − plain aspect's, median of 5"
				+ " pairs ≤ 5.0 µs | +4.0 µs ± 0.00 µs | met |");
		assertThat(targets)
			.contains("3 nodes: p50 − plain aspect's, median of 1 pairs ≤ 5.0 µs | +12.0 µs ± 0.00 µs | **missed** |");
		assertThat(targets).contains("(`ObserverCost`, 3-node pass): p50 ≤ 5.0 µs | 3.60 µs | met |");
		String json = ResultsJson.of(run);
		assertThat(record(json, "aspect-observed")).contains("\"paired_overhead_p50_us_vs_aspect\": 4,");
		assertThat(json).contains("\"scenario\": \"aspect-observers-paired\"").contains("\"met\": false");
		assertThat(json).contains("\"run_started_at\": \"2026-11-30T16:00:00Z\"").contains("\"commit\": \"abc1234\"");
	}

	@Test
	void aRunWithoutTheScenariosSaysSo() throws Exception {
		String page = new MarkdownReport(run(List.of(), List.of()), List.of()).render();
		assertThat(page).contains("`redlock` and `redlock-fenced` were not both in the uncontended scenario")
			.contains("`--scenarios` left `clusters` out")
			.contains("`--scenarios` left `aspect` out")
			.contains("aspect with meters and observations: p50 − plain aspect's ≤ 5.0 µs | not measured in this run")
			.doesNotContain("{{");
	}

	private static BenchmarkRun run(List<Result> results, List<AspectOverhead> overheads) {
		Machine machine = new Machine(2, "test CPU", "test JDK", "7.0", "abc1234", Map.of());
		return new BenchmarkRun(RunSettings.quick(), machine, Instant.parse("2026-11-30T16:00:00Z"),
				Duration.ofSeconds(60), 30, 40, "java -jar redlock-benchmarks.jar", new ArrayList<>(results), overheads);
	}

	private static Result uncontended(String contender, double p50, double commandsPerOp) {
		return result(Result.UNCONTENDED, contender, 3, 1, p50, 1000, commandsPerOp, null);
	}

	private static Result distinctClusters(String contender, double opsPerS, Result.CpuPerOp cpu) {
		return result(ClusterNodesScenario.SCENARIO, contender, 3, 16, 100, opsPerS, 15, cpu);
	}

	private static Result aspect(String contender, double p50) {
		return result(Result.ASPECT, contender, 1, 1, p50, 1000, 5, null);
	}

	private static Result result(String scenario, String contender, int nodes, int threads, double p50,
			double opsPerS, double commandsPerOp, Result.CpuPerOp cpu) {
		return new Result(scenario, contender, nodes, threads, 1, one(p50), one(p50 * 2), one(p50 * 3), one(opsPerS),
				commandsPerOp, Map.of(), null, cpu);
	}

	private static Spread one(double value) {
		return Spread.of(List.of(value));
	}

	/** The page from {@code from} up to {@code to}. */
	private static String section(String page, String from, String to) {
		int start = page.indexOf(from);
		assertThat(start).as(from).isNotNegative();
		int end = page.indexOf(to, start);
		assertThat(end).as(to).isGreaterThan(start);
		return page.substring(start, end);
	}

	/** The JSON record of {@code contender}, as text. */
	private static String record(String json, String contender) {
		int at = json.indexOf("\"contender\": \"" + contender + "\"");
		assertThat(at).as(contender).isNotNegative();
		int end = json.indexOf("\n  }", at);
		return json.substring(at, end);
	}

}
