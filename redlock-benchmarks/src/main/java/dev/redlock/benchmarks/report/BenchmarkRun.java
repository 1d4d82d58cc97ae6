package dev.redlock.benchmarks.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.redlock.benchmarks.Machine;
import dev.redlock.benchmarks.RunSettings;

/**
 * Everything one invocation measured, and on what.
 *
 * @param pingP50Us the loopback round trip of one PING, median: the physical floor
 * @param command how to repeat the run
 * @param overheads the aspect scenario's paired overheads of the observers, one per node count
 */
public record BenchmarkRun(RunSettings settings, Machine machine, Instant startedAt, Duration took, double pingP50Us,
		double pingP99Us, String command, List<Result> results, List<AspectOverhead> overheads) {

	public Optional<AspectOverhead> overhead(int nodes) {
		return this.overheads.stream().filter((o) -> o.nodes() == nodes).findFirst();
	}

	public Optional<Result> find(String scenario, String contender, int nodes, int threads) {
		return this.results.stream()
			.filter((r) -> r.scenario().equals(scenario) && r.contender().equals(contender) && r.nodes() == nodes
					&& r.threads() == threads)
			.findFirst();
	}

}
