package dev.redlock.benchmarks.report;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.redlock.benchmarks.aspect.AspectContender;
import dev.redlock.benchmarks.measure.Spread;
import dev.redlock.benchmarks.scenarios.ClusterNodesScenario;

/**
 * {@code results.json}: one record per contender and scenario, each complete on its own (mode,
 * loopback floor, ratios to the floor, or for the aspect its overhead over the direct core
 * call) so that a record can be read without the others.
 */
final class ResultsJson {

	/** The scenario name of the observers' paired overhead records. */
	static final String OVERHEAD_SCENARIO = "aspect-observers-paired";

	private ResultsJson() {
	}

	static String of(BenchmarkRun run) {
		List<Object> records = new ArrayList<>();
		for (Result result : run.results()) {
			records.add(record(run, result));
		}
		for (AspectOverhead overhead : run.overheads()) {
			records.add(record(run, overhead));
		}
		return Json.write(records);
	}

	/** The observers' paired overhead, a record of its own: it is a difference, not one contender's figures. */
	private static Map<String, Object> record(BenchmarkRun run, AspectOverhead overhead) {
		Map<String, Object> record = new LinkedHashMap<>();
		record.put("scenario", OVERHEAD_SCENARIO);
		record.put("contender", overhead.contender());
		record.put("reference", overhead.reference());
		record.put("nodes", overhead.nodes());
		record.put("threads", 1);
		record.put("pairs", overhead.paired().pairs());
		record.put("p50_difference_us", overhead.paired().differenceUs().median());
		put(record, "p50_difference_us", overhead.paired().differenceUs());
		record.put("p50_difference_standard_error_us", overhead.paired().standardErrorUs());
		record.put("p50_ratio", overhead.paired().ratio().median());
		put(record, "p50_ratio", overhead.paired().ratio());
		record.put("observers_alone_p50_us", overhead.observersAloneP50Us());
		record.put("observers_alone_p99_us", overhead.observersAloneP99Us());
		record.put("target_us", AspectOverhead.TARGET_US);
		record.put("met", overhead.met());
		record.put("verdict", AspectTables.verdict(overhead.met()).replace("*", ""));
		record.put("observers_alone_met", overhead.aloneMet());
		record.put("ping_p50_us", run.pingP50Us());
		record.put("mode", run.settings().mode());
		stamp(record, run);
		return record;
	}

	private static Map<String, Object> record(BenchmarkRun run, Result result) {
		Map<String, Object> record = new LinkedHashMap<>();
		record.put("scenario", result.scenario());
		record.put("contender", result.contender());
		record.put("nodes", result.nodes());
		record.put("threads", result.threads());
		record.put("p50_us", result.p50Us().median());
		record.put("p99_us", result.p99Us().median());
		record.put("p999_us", result.p999Us().median());
		record.put("ops_per_s", result.opsPerS().median());
		record.put("latency", (result.contention() != null) ? "wait to acquire" : "acquire + release");
		record.put("runs", result.runs());
		put(record, "p50_us", result.p50Us());
		put(record, "p99_us", result.p99Us());
		put(record, "ops_per_s", result.opsPerS());
		record.put("commands_per_op", result.commandsPerOp());
		record.put("commands", new LinkedHashMap<>(result.commands()));
		Result.Contention contention = result.contention();
		if (contention != null) {
			record.put("handoff_p50_us", contention.handoffP50Us().median());
			record.put("handoff_p99_us", contention.handoffP99Us().median());
			record.put("wait_p99_us", result.p99Us().median());
			record.put("reacquired_fraction", contention.reacquired().median());
			put(record, "handoff_p50_us", contention.handoffP50Us());
			put(record, "reacquired_fraction", contention.reacquired());
			record.put("timeouts", contention.timeouts());
			record.put("overlaps", contention.overlaps());
			record.put("fewest_per_worker", contention.fewestPerWorker().median());
			record.put("most_per_worker", contention.mostPerWorker().median());
			put(record, "fewest_per_worker", contention.fewestPerWorker());
			record.put("jvms", result.scenario().equals(Result.CONTENDED_TWO_JVMS) ? 2 : 1);
			if (result.scenario().equals(Result.CONTENDED_TWO_JVMS)) {
				run.find(Result.CONTENDED, result.contender(), result.nodes(), result.threads())
					.ifPresent((one) -> record.put("ops_vs_one_jvm",
							ratio(result.opsPerS().median(), one.opsPerS().median())));
			}
			record.put("ops_vs_physical_limit", Targets.ofPhysicalLimit(run, result));
			run.find(result.scenario(), "redlock-polling", result.nodes(), result.threads())
				.ifPresent((polling) -> record.put("ops_vs_polling",
						ratio(result.opsPerS().median(), polling.opsPerS().median())));
			run.find(Result.CONTENDED, "redisson-lock", 1, result.threads())
				.ifPresent((rlock) -> record.put("wait_p99_vs_redisson_lock",
						ratio(result.p99Us().median(), rlock.p99Us().median())));
		}
		if (result.scenario().equals(Result.ASPECT) && !result.contender().equals(AspectContender.CORE_DIRECT.id())) {
			run.find(Result.ASPECT, AspectContender.CORE_DIRECT.id(), result.nodes(), result.threads())
				.ifPresent((direct) -> {
					record.put("overhead_p50_us", result.p50Us().median() - direct.p50Us().median());
					record.put("overhead_p99_us", result.p99Us().median() - direct.p99Us().median());
					record.put("p50_vs_core_direct", ratio(result.p50Us().median(), direct.p50Us().median()));
				});
		}
		if (result.contender().equals("redlock-fenced")) {
			run.find(result.scenario(), "redlock", result.nodes(), result.threads()).ifPresent((plain) -> {
				record.put("p50_vs_redlock", ratio(result.p50Us().median(), plain.p50Us().median()));
				record.put("overhead_p50_us_vs_redlock", result.p50Us().median() - plain.p50Us().median());
				record.put("commands_per_op_vs_redlock", ratio(result.commandsPerOp(), plain.commandsPerOp()));
			});
		}
		if (result.cpu() != null) {
			record.put("node_cpu_us_per_op", result.cpu().nodeUs());
			record.put("client_cpu_us_per_op", result.cpu().clientUs());
		}
		if (result.scenario().equals(ClusterNodesScenario.SCENARIO)) {
			int masters = DistinctKeysTables.masters(result);
			record.put("masters", masters);
			if (result.cpu() != null && result.cpu().nodeUs() > 0) {
				record.put("ops_if_a_core_per_master", DistinctKeysTables.nodeCeiling(masters, result.cpu().nodeUs()));
			}
			if (!result.contender().equals("redlock")) {
				run.find(result.scenario(), "redlock", result.nodes(), result.threads())
					.ifPresent((masters3) -> record.put("ops_vs_standalone",
							ratio(result.opsPerS().median(), masters3.opsPerS().median())));
			}
		}
		if (result.contender().equals(AspectContender.ASPECT_OBSERVED.id())) {
			run.overhead(result.nodes()).ifPresent((overhead) -> {
				record.put("paired_overhead_p50_us_vs_aspect", overhead.paired().differenceUs().median());
				record.put("paired_p50_vs_aspect", overhead.paired().ratio().median());
			});
		}
		run.find(result.scenario(), "floor", result.nodes(), result.threads()).ifPresent((floor) -> {
			record.put("p50_vs_floor", ratio(result.p50Us().median(), floor.p50Us().median()));
			record.put("ops_vs_floor", ratio(result.opsPerS().median(), floor.opsPerS().median()));
		});
		record.put("ping_p50_us", run.pingP50Us());
		record.put("mode", run.settings().mode());
		stamp(record, run);
		return record;
	}

	/**
	 * Which run a record came from: records of several runs can end up in one file when a
	 * page's sections are merged by hand, and a ratio is only meaningful within its run.
	 */
	private static void stamp(Map<String, Object> record, BenchmarkRun run) {
		record.put("run_started_at", run.startedAt().truncatedTo(ChronoUnit.SECONDS).toString());
		record.put("commit", run.machine().commit());
	}

	private static void put(Map<String, Object> record, String name, Spread spread) {
		record.put(name + "_min", spread.min());
		record.put(name + "_max", spread.max());
	}

	static Double ratio(double value, double reference) {
		return (reference > 0) ? value / reference : null;
	}

}
