package dev.redlock.benchmarks.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

import dev.redlock.benchmarks.contenders.ClusterNodesContender;
import dev.redlock.benchmarks.contenders.Contender;
import dev.redlock.benchmarks.contenders.Contenders;

/** The results of a run, looked up by case, in report order: what every table of the page reads. */
final class Cases {

	static final String REDLOCK = "redlock";

	static final String FLOOR = "floor";

	private final BenchmarkRun run;

	Cases(BenchmarkRun run) {
		this.run = run;
	}

	BenchmarkRun run() {
		return this.run;
	}

	Optional<Result> find(String scenario, String contender, int nodes, int threads) {
		return this.run.find(scenario, contender, nodes, threads);
	}

	/** The results of one case, in the contenders' report order whatever order they ran in. */
	List<Result> results(String scenario, int nodes, int threads) {
		List<String> order = order();
		return this.run.results()
			.stream()
			.filter((r) -> r.scenario().equals(scenario) && r.nodes() == nodes && r.threads() == threads)
			.sorted(Comparator.comparingInt((Result r) -> rank(order, r.contender())))
			.toList();
	}

	/**
	 * Every contender's id in report order: each variant (fenced, on clusters, on NIO) right
	 * after the contender it varies, so that a table reads each beside what it varies.
	 */
	static List<String> order() {
		List<String> order = new ArrayList<>(Contenders.all().stream().map(Contender::id).toList());
		List<String> variants = new ArrayList<>(Contenders.uncontendedVariants().stream().map(Contender::id).toList());
		variants.add(ClusterNodesContender.ID);
		for (int i = variants.size() - 1; i >= 0; i--) {
			String variant = variants.get(i);
			String varied = order.stream().filter((id) -> variant.startsWith(id + "-")).findFirst().orElse(REDLOCK);
			order.add(order.indexOf(varied) + 1, variant);
		}
		return order;
	}

	/** Unknown contenders go last rather than first. */
	private static int rank(List<String> order, String contender) {
		int index = order.indexOf(contender);
		return (index < 0) ? Integer.MAX_VALUE : index;
	}

	TreeSet<Integer> nodeCounts(String scenario) {
		TreeSet<Integer> counts = new TreeSet<>();
		this.run.results().stream().filter((r) -> r.scenario().equals(scenario)).forEach((r) -> counts.add(r.nodes()));
		return counts;
	}

	/**
	 * This row's metric divided by the reference contender's in the same case, or, with
	 * {@code inverse}, the reference's divided by this row's.
	 */
	String against(Result row, String reference, Function<Result, Double> metric, boolean inverse) {
		return find(row.scenario(), reference, row.nodes(), row.threads())
			.map((ref) -> Format.ratio(inverse ? ResultsJson.ratio(metric.apply(ref), metric.apply(row))
					: ResultsJson.ratio(metric.apply(row), metric.apply(ref))))
			.orElse("–");
	}

	/** {@code 1 node}, {@code 3 nodes}. */
	static String nodes(int nodes) {
		return nodes + ((nodes == 1) ? " node" : " nodes");
	}

}
