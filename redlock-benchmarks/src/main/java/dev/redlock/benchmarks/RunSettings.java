package dev.redlock.benchmarks;

import java.time.Duration;

/**
 * How long each part of a run lasts. The full run fits in 10 minutes on two cores; the quick
 * one, in under two, checks the harness end to end with numbers too short to compare.
 *
 * @param warmup before a contender's first run in a scenario, unmeasured: JIT, pools, subscriptions
 * @param settle before every run, unmeasured: lets the workers of a run reach a steady state
 * @param measure the measured window of one run
 * @param runs runs per contender; the median is reported with the spread
 * @param jmhWarmupIterations JMH warm-up iterations of {@link #measure} each, uncontended scenario
 * @param aspect the aspect scenario's own timing
 */
public record RunSettings(String mode, Duration warmup, Duration settle, Duration measure, int runs,
		int jmhWarmupIterations, Rounds aspect) {

	/** Threads for the distinct-keys scenario. */
	public static final int[] DISTINCT_KEY_THREADS = { 16, 64 };

	/** Workers for the contended scenario. */
	public static final int[] CONTENDED_WORKERS = { 8, 32 };

	/** Node counts for the uncontended and contended scenarios. */
	public static final int[] NODE_COUNTS = { 1, 3, 5 };

	/** Node counts for the contended scenario with workers in two JVMs: issue 13's targets are on these. */
	public static final int[] TWO_JVM_NODE_COUNTS = { 3, 5 };

	/** Node counts for the distinct-keys scenario: single-node peers on one, Redlocks on three. */
	public static final int[] DISTINCT_KEY_NODE_COUNTS = { 1, 3 };

	/**
	 * Node counts for the aspect scenario: the headline three, and one, where the round trip
	 * is shortest and the aspect's share of a call the largest.
	 */
	public static final int[] ASPECT_NODE_COUNTS = { 1, 3 };

	/** Every lock's ttl: long against the benchmark's 1 ms holds, so none expires. */
	public static final Duration TTL = Duration.ofSeconds(5);

	public static RunSettings full() {
		// Six warm-up iterations in the uncontended forks: in trial forks the floor settled after 3 s,
		// the core, with more code for the JIT to compile, after 9 s (some 15,000 operations).
		return new RunSettings("full", Duration.ofMillis(1500), Duration.ofMillis(300), Duration.ofMillis(1500), 3, 6,
				new Rounds(Duration.ofMillis(600), Duration.ofMillis(100), Duration.ofMillis(400), 5, 30,
						Duration.ofMillis(100), 200_000));
	}

	public static RunSettings quick() {
		return new RunSettings("quick", Duration.ofMillis(150), Duration.ofMillis(40), Duration.ofMillis(150), 3, 1,
				new Rounds(Duration.ofMillis(150), Duration.ofMillis(30), Duration.ofMillis(120), 3, 12,
						Duration.ofMillis(60), 50_000));
	}

	public boolean isQuick() {
		return this.mode.equals("quick");
	}

	/**
	 * The aspect scenario's timing: more and shorter runs than elsewhere. Its contenders are a
	 * few microseconds apart, one thread each, in one JVM; more turns spread a shared
	 * machine's bursts of load more evenly over them than longer ones would. The pairs for the
	 * observers' overhead add about 12 seconds per node count in a full run (30 pairs of two
	 * rounds, each settling and measuring 100 ms), near 35 seconds per node count in all.
	 *
	 * @param warmup before a contender's first run, unmeasured
	 * @param settle before every run, unmeasured
	 * @param measure the measured window of one run
	 * @param runs runs per contender; the median is reported with the spread
	 * @param pairs pairs of short rounds, the observed aspect and the plain one right after
	 * each other, for the observers' overhead
	 * @param pairMeasure the measured window of one round of a pair
	 * @param observerCalls calls through the observers alone (no nodes), after as many for warm-up
	 */
	public record Rounds(Duration warmup, Duration settle, Duration measure, int runs, int pairs,
			Duration pairMeasure, int observerCalls) {

	}

}
