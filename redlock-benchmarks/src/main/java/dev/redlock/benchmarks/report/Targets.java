package dev.redlock.benchmarks.report;

import java.util.Optional;
import java.util.function.Function;

import dev.redlock.benchmarks.RunSettings;
import dev.redlock.benchmarks.scenarios.ContendedScenario;

/**
 * The project's performance targets, on three nodes, checked against a run. Quick runs check
 * them too, but their windows are too short for the verdict to mean much.
 */
final class Targets {

	private static final int NODES = 3;

	private Targets() {
	}

	static String table(BenchmarkRun run) {
		Table table = new Table("target (3 nodes unless named)", "measured", "verdict");
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
		contentionTargets(table, run);
		aspectTargets(table, run);
		return table.render();
	}

	/**
	 * Issue 14's target on the observers: the observed aspect's p50 at most 5 µs above the plain
	 * aspect's, from the paired rounds, with the observers timed alone beside it.
	 */
	private static void aspectTargets(Table table, BenchmarkRun run) {
		String target = " ≤ " + Format.decimal(AspectOverhead.TARGET_US) + " µs";
		if (run.overheads().isEmpty()) {
			table.row("aspect with meters and observations: p50 − plain aspect's" + target, "not measured in this run",
					"–");
			return;
		}
		for (AspectOverhead o : run.overheads()) {
			table.row("aspect with meters and observations, " + o.nodes() + ((o.nodes() == 1) ? " node" : " nodes")
					+ ": p50 − plain aspect's, median of " + o.paired().pairs() + " pairs" + target,
					Format.microsDifference(o.paired().differenceUs().median()) + " ± "
							+ Format.micros2(o.paired().standardErrorUs()),
					AspectTables.verdict(o.met()));
			table.row("the same observers alone, without the nodes (`ObserverCost`, " + o.nodes()
					+ "-node pass): p50" + target, Format.micros2(o.observersAloneP50Us()),
					AspectTables.verdict(o.aloneMet()));
		}
	}

	/**
	 * Issue 13's targets, on 3 and 5 nodes: rates against the physical limit of a handoff, 1 /
	 * (hold + the floor's uncontended round trip), and against polling; the uncontended path
	 * unchanged.
	 */
	private static void contentionTargets(Table table, BenchmarkRun run) {
		for (int nodes : new int[] { 3, 5 }) {
			check(table, nodes, "uncontended p50 ≤ 1.0× the floor's", run, Result.UNCONTENDED, 1, "floor", nodes,
					(r) -> r.p50Us().median(), 1.0, false);
			for (int workers : RunSettings.CONTENDED_WORKERS) {
				contendedRows(table, run, Result.CONTENDED, "contended, ", nodes, workers);
			}
			for (int workers : RunSettings.CONTENDED_WORKERS) {
				contendedRows(table, run, Result.CONTENDED_TWO_JVMS, "contended in two JVMs, ", nodes, workers);
			}
		}
	}

	/** The rate and wait targets of one contended case; redisson-lock is always the one-JVM run's. */
	private static void contendedRows(Table table, BenchmarkRun run, String scenario, String label, int nodes,
			int workers) {
		String prefix = label + workers + " workers, " + nodes + " nodes: ";
		Optional<Result> ours = run.find(scenario, "redlock", nodes, workers);
		Double limit = ours.map((r) -> ofPhysicalLimit(run, r)).orElse(null);
		table.row(prefix + "acq/s ≥ 85 % of 1 / (hold + floor's uncontended p50)",
				(limit != null) ? Format.ratio(limit) : "not measured in this run",
				(limit == null) ? "–" : (limit >= 0.85) ? "met" : "**missed**");
		check(table, nodes, prefix + "acq/s ≥ 2.5× redlock-polling's", run, scenario, workers, scenario,
				"redlock-polling", nodes, (r) -> r.opsPerS().median(), 2.5, true);
		check(table, nodes, prefix + "acq/s ≥ 1.0× redlock-polling's", run, scenario, workers, scenario,
				"redlock-polling", nodes, (r) -> r.opsPerS().median(), 1.0, true);
		check(table, nodes, prefix + "wait p99 ≤ redisson-lock's (1 node)", run, scenario, workers,
				Result.CONTENDED, "redisson-lock", 1, (r) -> r.p99Us().median(), 1.0, false);
	}

	/** A contended result's rate over 1 / (hold + the floor's uncontended p50 on its nodes), or null. */
	static Double ofPhysicalLimit(BenchmarkRun run, Result contended) {
		return run.find(Result.UNCONTENDED, "floor", contended.nodes(), 1).map((floor) -> {
			double cycleSeconds = (ContendedScenario.HOLD_NANOS / 1e3 + floor.p50Us().median()) / 1e6;
			return contended.opsPerS().median() * cycleSeconds;
		}).orElse(null);
	}

	private static void check(Table table, String target, BenchmarkRun run, String scenario, int threads,
			String reference, int referenceNodes, Function<Result, Double> metric, double factor, boolean atLeast) {
		check(table, NODES, target, run, scenario, threads, reference, referenceNodes, metric, factor, atLeast);
	}

	/**
	 * @param atLeast whether redlock's metric must be at least {@code factor} times the
	 * reference's (rates), or at most (latencies)
	 */
	private static void check(Table table, int nodes, String target, BenchmarkRun run, String scenario, int threads,
			String reference, int referenceNodes, Function<Result, Double> metric, double factor, boolean atLeast) {
		check(table, nodes, target, run, scenario, threads, scenario, reference, referenceNodes, metric, factor,
				atLeast);
	}

	/** @param referenceScenario where the reference's result is: another scenario for a one-JVM peer */
	private static void check(Table table, int nodes, String target, BenchmarkRun run, String scenario, int threads,
			String referenceScenario, String reference, int referenceNodes, Function<Result, Double> metric,
			double factor, boolean atLeast) {
		Optional<Result> ours = run.find(scenario, "redlock", nodes, threads);
		Optional<Result> theirs = run.find(referenceScenario, reference, referenceNodes, threads);
		if (ours.isEmpty() || theirs.isEmpty()) {
			table.row(target, "not measured in this run", "–");
			return;
		}
		double ratio = metric.apply(ours.get()) / metric.apply(theirs.get());
		boolean met = atLeast ? ratio >= factor : ratio <= factor;
		table.row(target, Format.ratio(ratio), met ? "met" : "**missed**");
	}

}
