package dev.redlock.benchmarks.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

import dev.redlock.benchmarks.measure.ContentionOutcome;
import dev.redlock.benchmarks.measure.Latencies;
import dev.redlock.benchmarks.measure.RunOutcome;
import dev.redlock.benchmarks.measure.Spread;

/**
 * One contender in one scenario on one node count: the median of its runs, with their
 * spread. Latencies are in microseconds; under contention they are the wait to acquire.
 *
 * @param commandsPerOp commands the nodes executed per operation, over all runs together
 * @param commands the same, per command name
 * @param contention the contended scenario's extra figures, or {@code null}
 * @param cpu CPU per operation over all runs together, or {@code null} where the scenario
 * does not read it
 */
public record Result(String scenario, String contender, int nodes, int threads, int runs, Spread p50Us,
		Spread p99Us, Spread p999Us, Spread opsPerS, double commandsPerOp, Map<String, Double> commands,
		Contention contention, CpuPerOp cpu) {

	public static final String UNCONTENDED = "uncontended";

	public static final String DISTINCT_KEYS = "distinct-keys";

	public static final String CONTENDED = "contended";

	/** The contended scenario with half its workers in a child JVM. */
	public static final String CONTENDED_TWO_JVMS = "contended-2jvm";

	public static final String ASPECT = "aspect";

	/** Summarises the runs of one contender. */
	public static Result of(String scenario, String contender, int nodes, int threads, List<RunOutcome> runs) {
		long operations = runs.stream().mapToLong(RunOutcome::operations).sum();
		Map<String, Double> commands = new TreeMap<>();
		long total = 0;
		for (RunOutcome run : runs) {
			for (Map.Entry<String, Long> entry : run.commands().entrySet()) {
				commands.merge(entry.getKey(), (double) entry.getValue(), Double::sum);
				total += entry.getValue();
			}
		}
		double perOp = (operations > 0) ? (double) total / operations : 0;
		commands.replaceAll((name, count) -> (operations > 0) ? count / operations : 0);
		Contention contention = (runs.get(0).contention() != null) ? Contention.of(runs) : null;
		return new Result(scenario, contender, nodes, threads, runs.size(),
				spread(runs, (run) -> Latencies.micros(run.latency(), 50)),
				spread(runs, (run) -> Latencies.micros(run.latency(), 99)),
				spread(runs, (run) -> Latencies.micros(run.latency(), 99.9)), spread(runs, RunOutcome::opsPerSecond),
				perOp, commands, contention, CpuPerOp.of(runs, operations));
	}

	static Spread spread(List<RunOutcome> runs, ToDoubleFunction<RunOutcome> metric) {
		List<Double> values = new ArrayList<>();
		for (RunOutcome run : runs) {
			values.add(metric.applyAsDouble(run));
		}
		return Spread.of(values);
	}

	/**
	 * CPU per operation: every run's CPU summed, over every run's operations summed, so that
	 * a short run weighs what it measured.
	 *
	 * @param nodeUs the nodes' CPU per operation, in µs, all nodes together
	 * @param clientUs this JVM's CPU per operation, in µs
	 */
	public record CpuPerOp(double nodeUs, double clientUs) {

		static CpuPerOp of(List<RunOutcome> runs, long operations) {
			if (operations == 0 || runs.stream().anyMatch((run) -> run.cpu() == null)) {
				return null;
			}
			double node = runs.stream().mapToDouble((run) -> run.cpu().nodeMicros()).sum();
			double client = runs.stream().mapToDouble((run) -> run.cpu().clientMicros()).sum();
			return new CpuPerOp(node / operations, client / operations);
		}

	}

	/**
	 * The contended scenario's figures over the runs.
	 *
	 * @param handoffP50Us release-to-next-holder latency, median
	 * @param reacquired share of acquisitions by the worker that held the lock just before
	 * @param timeouts waits that gave up, over all runs
	 * @param overlaps acquisitions while another worker held the lock, over all runs (0)
	 * @param fewestPerWorker acquisitions of the worker served least in a run
	 * @param mostPerWorker acquisitions of the worker served most in a run
	 */
	public record Contention(Spread handoffP50Us, Spread handoffP99Us, Spread reacquired, long timeouts,
			long overlaps, Spread fewestPerWorker, Spread mostPerWorker) {

		static Contention of(List<RunOutcome> runs) {
			long timeouts = 0;
			long overlaps = 0;
			for (RunOutcome run : runs) {
				timeouts += run.contention().timeouts();
				overlaps += run.contention().overlaps();
			}
			return new Contention(spread(runs, (run) -> Latencies.micros(run.contention().handoff(), 50)),
					spread(runs, (run) -> Latencies.micros(run.contention().handoff(), 99)),
					spread(runs, (run) -> share(run.contention(), run.operations())), timeouts, overlaps,
					spread(runs, (run) -> run.contention().fewestPerWorker()),
					spread(runs, (run) -> run.contention().mostPerWorker()));
		}

		private static double share(ContentionOutcome outcome, long operations) {
			return (operations > 0) ? (double) outcome.reacquired() / operations : 0;
		}

	}

}
