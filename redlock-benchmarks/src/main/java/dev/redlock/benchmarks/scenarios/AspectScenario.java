package dev.redlock.benchmarks.scenarios;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.redlock.benchmarks.RunSettings;
import dev.redlock.benchmarks.aspect.AspectApplication;
import dev.redlock.benchmarks.aspect.AspectContender;
import dev.redlock.benchmarks.measure.CommandStats;
import dev.redlock.benchmarks.measure.Latencies;
import dev.redlock.benchmarks.measure.RunOutcome;
import dev.redlock.benchmarks.report.Result;
import org.HdrHistogram.Histogram;

/**
 * Scenario (e): what the {@code @DistributedLock} aspect costs over calling the core directly.
 * One thread calls an annotated no-op method, and, taking turns with it, the core on the same
 * Redlock bean, each on a key nobody else wants. Unlike scenario (a) this runs in one JVM:
 * the contenders share the Redlock, its connections and the JIT's work on the core, so the
 * difference between them is the aspect alone (the proxy, the key's SpEL expression, the
 * thread's stack of held locks and, with automatic extension, its scheduling).
 */
public final class AspectScenario {

	private final RunSettings.Rounds rounds;

	private final Progress<AspectContender> progress;

	public AspectScenario(RunSettings settings, Progress<AspectContender> progress) {
		this.rounds = settings.aspect();
		this.progress = progress;
	}

	public List<Result> run(List<String> uris, CommandStats commandStats) {
		try (AspectApplication application = AspectApplication.start(uris)) {
			// Starting a context leaves garbage behind: collect it now, not in a measured window.
			System.gc();
			Map<AspectContender, Interleaving.Trial> trials = new LinkedHashMap<>();
			for (AspectContender contender : AspectContender.values()) {
				Runnable operation = application.operation(contender);
				trials.put(contender, new Interleaving.Trial() {

					@Override
					public void warmUp() {
						repeat(operation, AspectScenario.this.rounds.warmup());
					}

					@Override
					public RunOutcome run() {
						repeat(operation, AspectScenario.this.rounds.settle());
						return measure(operation, AspectScenario.this.rounds.measure(), commandStats);
					}

				});
			}
			List<Result> results = new ArrayList<>();
			Interleaving.run(trials, this.rounds.runs(), this.progress)
				.forEach((contender, runs) -> results.add(Result.of(Result.ASPECT, contender.id(), uris.size(), 1, runs)));
			return results;
		}
	}

	private static void repeat(Runnable operation, Duration duration) {
		long end = System.nanoTime() + duration.toNanos();
		while (System.nanoTime() < end) {
			operation.run();
		}
	}

	/** Times every operation of one window; the nodes' counters are read outside it. */
	private static RunOutcome measure(Runnable operation, Duration window, CommandStats commandStats) {
		Histogram latency = Latencies.newHistogram();
		Map<String, Long> before = commandStats.snapshot();
		long opened = System.nanoTime();
		long closes = opened + window.toNanos();
		long end = opened;
		while (end < closes) {
			long start = System.nanoTime();
			operation.run();
			end = System.nanoTime();
			latency.recordValue(end - start);
		}
		Map<String, Long> commands = CommandStats.delta(before, commandStats.snapshot());
		return new RunOutcome(latency, latency.getTotalCount(), (end - opened) / 1e9, commands, null);
	}

}
