package dev.redlock.benchmarks.report;

import java.util.Locale;

import dev.redlock.benchmarks.measure.Spread;

/** How numbers read in the report. */
final class Format {

	private Format() {
	}

	/**
	 * Microseconds: one decimal below 100, whole above; milliseconds past 10 000 µs. Zero
	 * means nothing was measured (no handoff in a run, say): no real latency is zero.
	 */
	static String micros(double value) {
		if (value <= 0) {
			return "–";
		}
		if (value >= 10_000) {
			return String.format(Locale.ROOT, "%.1f ms", value / 1000);
		}
		if (value >= 100) {
			return String.format(Locale.ROOT, "%.0f µs", value);
		}
		return String.format(Locale.ROOT, "%.1f µs", value);
	}

	/** Microseconds with two decimals: for costs of a few µs, where the target is 5. */
	static String micros2(double value) {
		return String.format(Locale.ROOT, "%.2f µs", value);
	}

	/** The median, then the runs' range in the median's unit. */
	static String micros(Spread spread) {
		if (spread.max() <= 0) {
			return "–";
		}
		boolean millis = spread.median() >= 10_000;
		return micros(spread.median()) + " <sub>" + bare(spread.min(), millis) + "–" + bare(spread.max(), millis)
				+ "</sub>";
	}

	/**
	 * A difference of latencies, signed: on a busy machine an overhead of a few microseconds
	 * can come out negative, and the sign must say so.
	 */
	static String microsDifference(double value) {
		double magnitude = Math.abs(value);
		String sign = (value < 0) ? "−" : "+";
		if (magnitude >= 10_000) {
			return sign + String.format(Locale.ROOT, "%.1f ms", magnitude / 1000);
		}
		return sign + String.format(Locale.ROOT, (magnitude >= 100) ? "%.0f µs" : "%.1f µs", magnitude);
	}

	static String rate(double value) {
		return (value >= 100) ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.1f", value);
	}

	static String rate(Spread spread) {
		return rate(spread.median()) + " <sub>" + rate(spread.min()) + "–" + rate(spread.max()) + "</sub>";
	}

	static String ratio(Double ratio) {
		if (ratio == null || ratio.isNaN() || ratio.isInfinite()) {
			return "–";
		}
		return String.format(Locale.ROOT, (ratio >= 10) ? "%.0f×" : "%.2f×", ratio);
	}

	static String percent(double share) {
		return String.format(Locale.ROOT, "%.0f %%", share * 100);
	}

	static String decimal(double value) {
		return String.format(Locale.ROOT, "%.1f", value);
	}

	/** A latency without its unit, for ranges: the unit is on the median before it. */
	private static String bare(double micros, boolean millis) {
		if (millis) {
			return String.format(Locale.ROOT, "%.1f", micros / 1000);
		}
		return String.format(Locale.ROOT, (micros >= 100) ? "%.0f" : "%.1f", micros);
	}

}
