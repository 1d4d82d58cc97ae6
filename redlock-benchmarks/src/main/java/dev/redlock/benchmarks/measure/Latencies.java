package dev.redlock.benchmarks.measure;

import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/** HdrHistogram set-up shared by every scenario: nanoseconds, up to a minute, 3 digits. */
public final class Latencies {

	private Latencies() {
	}

	public static Histogram newHistogram() {
		return new Histogram(TimeUnit.MINUTES.toNanos(1), 3);
	}

	/** The percentile in microseconds, or 0 for an empty histogram. */
	public static double micros(Histogram histogram, double percentile) {
		return (histogram.getTotalCount() == 0) ? 0 : histogram.getValueAtPercentile(percentile) / 1000.0;
	}

}
