package dev.redlock.benchmarks.scenarios;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.redlock.benchmarks.RunSettings;
import dev.redlock.benchmarks.contenders.Contender;
import dev.redlock.benchmarks.contenders.LockClient;
import dev.redlock.benchmarks.contenders.SharedResources;
import dev.redlock.benchmarks.measure.CommandStats;
import dev.redlock.benchmarks.measure.Latencies;
import dev.redlock.benchmarks.measure.RunOutcome;
import dev.redlock.benchmarks.report.Result;
import org.HdrHistogram.Histogram;

/**
 * Scenario (b): many threads of one application, each locking and unlocking a key of its own
 * as fast as it can. Nobody waits for anybody: this is the library's own throughput, its
 * client-side cost and how well it pipelines over its connections.
 */
public final class DistinctKeysScenario {

	private final RunSettings settings;

	private final Progress<Contender> progress;

	public DistinctKeysScenario(RunSettings settings, Progress<Contender> progress) {
		this.settings = settings;
		this.progress = progress;
	}

	public List<Result> run(List<Contender> contenders, List<String> uris, int threads, SharedResources shared,
			CommandStats commandStats) {
		return run(Result.DISTINCT_KEYS, contenders, uris, threads, shared, commandStats);
	}

	/** The same, reported under another scenario name, for a comparison kept apart from the main table. */
	public List<Result> run(String scenario, List<Contender> contenders, List<String> uris, int threads,
			SharedResources shared, CommandStats commandStats) {
		return run(scenario, contenders, uris, threads, shared, (contender) -> commandStats);
	}

	/**
	 * The same, each contender's commands and CPU read on the servers {@code statsOf} gives:
	 * contenders on servers of their own, whose idle neighbours' housekeeping must not count.
	 */
	public List<Result> run(String scenario, List<Contender> contenders, List<String> uris, int threads,
			SharedResources shared, Function<Contender, CommandStats> statsOf) {
		Map<Contender, LockClient> clients = new LinkedHashMap<>();
		try {
			Map<Contender, Interleaving.Trial> trials = new LinkedHashMap<>();
			for (Contender contender : contenders) {
				LockClient client = contender.connect(uris, shared);
				clients.put(contender, client);
				String prefix = "bench:distinct:" + contender.id() + ":t" + threads + ":";
				CommandStats commandStats = statsOf.apply(contender);
				trials.put(contender, new Interleaving.Trial() {

					@Override
					public void warmUp() {
						measure(client, prefix, threads, Duration.ZERO, DistinctKeysScenario.this.settings.warmup(),
								commandStats);
					}

					@Override
					public RunOutcome run() {
						return measure(client, prefix, threads, DistinctKeysScenario.this.settings.settle(),
								DistinctKeysScenario.this.settings.measure(), commandStats);
					}

				});
			}
			List<Result> results = new ArrayList<>();
			Interleaving.run(trials, this.settings.runs(), this.progress)
				.forEach((contender, runs) -> results
					.add(Result.of(scenario, contender.id(), uris.size(), threads, runs)));
			return results;
		}
		finally {
			clients.values().forEach(LockClient::close);
		}
	}

	private static RunOutcome measure(LockClient client, String prefix, int threads, Duration settle, Duration measure,
			CommandStats commandStats) {
		Window window = new Window(settle, measure);
		Histogram[] latencies = new Histogram[threads];
		long[] operations = new long[threads];
		Map<String, Long> commands = Workers.run("distinct", threads, (worker) -> {
			Histogram latency = Latencies.newHistogram();
			String key = prefix + worker;
			long done = 0;
			while (!window.stopped()) {
				long start = System.nanoTime();
				LockClient.Held held = client.acquire(key, RunSettings.TTL, RunSettings.TTL);
				if (held == null) {
					throw new IllegalStateException("Nobody else uses " + key + ", yet it could not be acquired");
				}
				held.release();
				long end = System.nanoTime();
				if (window.contains(end)) {
					latency.recordValue(end - start);
					done++;
				}
			}
			latencies[worker] = latency;
			operations[worker] = done;
		}, () -> window.await(commandStats));
		Histogram all = Latencies.newHistogram();
		long total = 0;
		for (int i = 0; i < threads; i++) {
			all.add(latencies[i]);
			total += operations[i];
		}
		return new RunOutcome(all, total, window.seconds(), commands, null, window.cpu());
	}

}
