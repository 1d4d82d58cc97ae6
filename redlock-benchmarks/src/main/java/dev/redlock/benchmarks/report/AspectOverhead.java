package dev.redlock.benchmarks.report;

import dev.redlock.benchmarks.measure.PairedDifference;

/**
 * What the starter's meters and observations add to an annotated call on one node count:
 * the observed aspect against the plain one in paired rounds, and the observers timed alone,
 * without the nodes, in the same run.
 *
 * @param contender the observed aspect's id
 * @param reference the plain aspect's id
 * @param paired the pairs' p50 differences and ratios
 * @param observersAloneP50Us one cycle through the observers without the nodes, p50, in µs
 * @param observersAloneP99Us the same, p99
 */
public record AspectOverhead(int nodes, String contender, String reference, PairedDifference paired,
		double observersAloneP50Us, double observersAloneP99Us) {

	/** Issue 14's target: at most this many µs more at p50 than the plain aspect. */
	public static final double TARGET_US = 5.0;

	/**
	 * Whether the paired median difference is within {@link #TARGET_US} by two standard
	 * errors ({@code TRUE}), above it by two ({@code FALSE}), or too noisy to tell ({@code null}).
	 */
	public Boolean met() {
		return this.paired.within(TARGET_US);
	}

	/** Whether the observers alone are within {@link #TARGET_US}. */
	public boolean aloneMet() {
		return this.observersAloneP50Us <= TARGET_US;
	}

}
