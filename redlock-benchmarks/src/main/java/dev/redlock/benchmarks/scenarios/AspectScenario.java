package dev.redlock.benchmarks.scenarios;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.redlock.benchmarks.RunSettings;
import dev.redlock.benchmarks.aspect.AspectApplication;
import dev.redlock.benchmarks.aspect.AspectContender;
import dev.redlock.benchmarks.aspect.ObserverCost;
import dev.redlock.benchmarks.measure.CommandStats;
import dev.redlock.benchmarks.measure.Latencies;
import dev.redlock.benchmarks.measure.PairedDifference;
import dev.redlock.benchmarks.measure.RunOutcome;
import dev.redlock.benchmarks.report.AspectOverhead;
import dev.redlock.benchmarks.report.Result;
import org.HdrHistogram.Histogram;

/**
 * Scenario (e): what the {@code @DistributedLock} aspect costs over calling the core directly.
 * One thread calls an annotated no-op method, and, taking turns with it, the core on the same
 * Redlock bean, each on a key nobody else wants. Unlike scenario (a) this runs in one JVM:
 * the contenders share the Redlock, its connections and the JIT's work on the core, so the
 * difference between them is the aspect alone (the proxy, the key's SpEL expression, the
 * thread's stack of held locks and, with automatic extension, its scheduling).
 * <p>
 * The observers' overhead is a few microseconds on calls of hundreds, well below the
 * difference between two medians taken seconds apart on a shared machine. So after the
 * interleaved runs, the observed aspect and the plain one also run in short rounds right after
 * each other, and the overhead is the median of the pairs' p50 differences; the observers are
 * then timed alone, without the nodes, for the figure that noise cannot touch.
 */
public final class AspectScenario {

	private final RunSettings.Rounds rounds;

	private final Progress<AspectContender> progress;

	public AspectScenario(RunSettings settings, Progress<AspectContender> progress) {
		this.rounds = settings.aspect();
		this.progress = progress;
	}

	/**
	 * What one node count gave.
	 *
	 * @param results one per contender, from the interleaved runs
	 * @param overhead the observed aspect against the plain one, paired
	 */
	public record Outcome(List<Result> results, AspectOverhead overhead) {

	}

	public Outcome run(List<String> uris, CommandStats commandStats) {
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
			return new Outcome(results, observersOverhead(application, uris.size()));
		}
	}

	/**
	 * The observed aspect against the plain one in pairs of short rounds. Who goes first
	 * alternates from pair to pair, so that neither always gets the JIT's or the caches' state
	 * the other left.
	 */
	private AspectOverhead observersOverhead(AspectApplication application, int nodes) {
		Runnable plain = application.operation(AspectContender.ASPECT);
		Runnable observed = application.operation(AspectContender.ASPECT_OBSERVED);
		List<Double> plainP50s = new ArrayList<>();
		List<Double> observedP50s = new ArrayList<>();
		for (int pair = 0; pair < this.rounds.pairs(); pair++) {
			boolean observedFirst = (pair % 2 == 1);
			double first = roundP50(observedFirst ? observed : plain);
			double second = roundP50(observedFirst ? plain : observed);
			plainP50s.add(observedFirst ? second : first);
			observedP50s.add(observedFirst ? first : second);
		}
		Histogram alone = ObserverCost.measure(this.rounds.observerCalls(), this.rounds.observerCalls());
		return new AspectOverhead(nodes, AspectContender.ASPECT_OBSERVED.id(), AspectContender.ASPECT.id(),
				PairedDifference.of(plainP50s, observedP50s), Latencies.micros(alone, 50), Latencies.micros(alone, 99));
	}

	/** One round of a pair: settle, then the p50 of a short window, in µs. */
	private double roundP50(Runnable operation) {
		repeat(operation, this.rounds.settle());
		Histogram latency = Latencies.newHistogram();
		long end = System.nanoTime() + this.rounds.pairMeasure().toNanos();
		while (System.nanoTime() < end) {
			long start = System.nanoTime();
			operation.run();
			latency.recordValue(System.nanoTime() - start);
		}
		return Latencies.micros(latency, 50);
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
