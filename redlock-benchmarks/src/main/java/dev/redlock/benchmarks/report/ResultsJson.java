package dev.redlock.benchmarks.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.redlock.benchmarks.aspect.AspectContender;
import dev.redlock.benchmarks.measure.Spread;

/**
 * {@code results.json}: one record per contender and scenario, each complete on its own (mode,
 * loopback floor, ratios to the floor, or for the aspect its overhead over the direct core
 * call) so that a record can be read without the others.
 */
final class ResultsJson {

	private ResultsJson() {
	}

	static String of(BenchmarkRun run) {
		List<Object> records = new ArrayList<>();
		for (Result result : run.results()) {
			records.add(record(run, result));
		}
		return Json.write(records);
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
		run.find(result.scenario(), "floor", result.nodes(), result.threads()).ifPresent((floor) -> {
			record.put("p50_vs_floor", ratio(result.p50Us().median(), floor.p50Us().median()));
			record.put("ops_vs_floor", ratio(result.opsPerS().median(), floor.opsPerS().median()));
		});
		record.put("ping_p50_us", run.pingP50Us());
		record.put("mode", run.settings().mode());
		return record;
	}

	private static void put(Map<String, Object> record, String name, Spread spread) {
		record.put(name + "_min", spread.min());
		record.put(name + "_max", spread.max());
	}

	static Double ratio(double value, double reference) {
		return (reference > 0) ? value / reference : null;
	}

}
