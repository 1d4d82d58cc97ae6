package dev.redlock.benchmarks.measure;

import java.util.Arrays;
import java.util.List;

/**
 * One metric over several runs: the median is reported, min and max show how much the runs
 * disagreed (on a shared machine, often more than the contenders do).
 */
public record Spread(double median, double min, double max) {

	public static Spread of(List<Double> values) {
		if (values.isEmpty()) {
			throw new IllegalArgumentException("No runs to summarise");
		}
		double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
		Arrays.sort(sorted);
		int n = sorted.length;
		double median = (n % 2 == 1) ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
		return new Spread(median, sorted[0], sorted[n - 1]);
	}

	/** max / min − 1: how far apart the runs were. */
	public double relativeRange() {
		return (this.min > 0) ? this.max / this.min - 1 : 0;
	}

}
