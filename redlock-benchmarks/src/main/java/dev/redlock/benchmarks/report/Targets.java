package dev.redlock.benchmarks.report;

import java.util.Optional;
import java.util.function.Function;

import dev.redlock.benchmarks.RunSettings;

/**
 * The project's performance targets, on three nodes, checked against a run. Quick runs check
 * them too, but their windows are too short for the verdict to mean much.
 */
final class Targets {

	private static final int NODES = 3;

	private Targets() {
	}

	static String table(BenchmarkRun run) {
		Table table = new Table("target (3 nodes)", "measured", "verdict");
		check(table, "uncontended p50 ≤ 1.0× the floor's", run, Result.UNCONTENDED, 1, "floor", NODES,
				(r) -> r.p50Us().median(), 1.0, false);
		int threads = RunSettings.DISTINCT_KEY_THREADS[1];
		check(table, "distinct keys, " + threads + " threads: ≥ 5× redisson-redlock's ops/s", run,
				Result.DISTINCT_KEYS, threads, "redisson-redlock", NODES, (r) -> r.opsPerS().median(), 5.0, true);
		check(table, "distinct keys, " + threads + " threads: ≥ 1.0× the floor's ops/s", run, Result.DISTINCT_KEYS,
				threads, "floor", NODES, (r) -> r.opsPerS().median(), 1.0, true);
		for (int workers : RunSettings.CONTENDED_WORKERS) {
			String prefix = "contended, " + workers + " workers: ";
			check(table, prefix + "acq/s ≥ redisson-lock's (1 node)", run, Result.CONTENDED, workers, "redisson-lock", 1,
					(r) -> r.opsPerS().median(), 1.0, true);
			check(table, prefix + "acq/s ≥ 2.5× redlock-polling's", run, Result.CONTENDED, workers, "redlock-polling",
					NODES, (r) -> r.opsPerS().median(), 2.5, true);
			check(table, prefix + "wait p99 ≤ redisson-lock's (1 node)", run, Result.CONTENDED, workers,
					"redisson-lock", 1, (r) -> r.p99Us().median(), 1.0, false);
		}
		return table.render();
	}

	/**
	 * @param atLeast whether redlock's metric must be at least {@code factor} times the
	 * reference's (rates), or at most (latencies)
	 */
	private static void check(Table table, String target, BenchmarkRun run, String scenario, int threads,
			String reference, int referenceNodes, Function<Result, Double> metric, double factor, boolean atLeast) {
		Optional<Result> ours = run.find(scenario, "redlock", NODES, threads);
		Optional<Result> theirs = run.find(scenario, reference, referenceNodes, threads);
		if (ours.isEmpty() || theirs.isEmpty()) {
			table.row(target, "not measured in this run", "–");
			return;
		}
		double ratio = metric.apply(ours.get()) / metric.apply(theirs.get());
		boolean met = atLeast ? ratio >= factor : ratio <= factor;
		table.row(target, Format.ratio(ratio), met ? "met" : "**missed**");
	}

}
