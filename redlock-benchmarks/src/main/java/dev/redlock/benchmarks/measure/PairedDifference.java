package dev.redlock.benchmarks.measure;

import java.util.ArrayList;
import java.util.List;

/**
 * A subject against its reference over rounds taken in pairs, one right after the other: the
 * difference of each pair's p50s, then the median of those differences. A burst of load from
 * elsewhere slows both halves of a pair about alike and cancels out of its difference, where
 * it would not out of two medians taken apart.
 *
 * @param pairs how many pairs the figures summarise
 * @param differenceUs subject's p50 − reference's p50 per pair: median, min and max
 * @param ratio subject's p50 ÷ reference's p50 per pair: median, min and max
 * @param madUs the differences' median absolute deviation from their median, in µs
 */
public record PairedDifference(int pairs, Spread differenceUs, Spread ratio, double madUs) {

	/**
	 * How far the median difference may be from the true one, as one standard error: for
	 * normal noise, σ ≈ 1.4826 × MAD and the median's error ≈ 1.2533 × σ / √pairs. On a loaded
	 * machine this is what says whether a few microseconds were resolved at all.
	 */
	public double standardErrorUs() {
		return 1.2533 * 1.4826 * this.madUs / Math.sqrt(this.pairs);
	}

	/**
	 * Whether the median difference is within {@code limitUs}: {@code TRUE} when it is by two
	 * standard errors, {@code FALSE} when it is above by two, {@code null} when the pairs
	 * disagree too much to tell. A difference below {@code −limitUs} by two standard errors
	 * is {@code null} too: a subject that does more work cannot be faster by more than the
	 * limit, so such pairs measured something else (bursts of load, the two clients' own
	 * state), and say nothing of the limit.
	 */
	public Boolean within(double limitUs) {
		double median = this.differenceUs.median();
		double margin = 2 * standardErrorUs();
		if (median - margin > limitUs) {
			return Boolean.FALSE;
		}
		if (median + margin <= limitUs && median - margin >= -limitUs) {
			return Boolean.TRUE;
		}
		return null;
	}

	/**
	 * @param referenceP50s the reference's p50 in each pair, in µs
	 * @param subjectP50s the subject's p50 in the same pairs, in the same order
	 */
	public static PairedDifference of(List<Double> referenceP50s, List<Double> subjectP50s) {
		if (referenceP50s.size() != subjectP50s.size()) {
			throw new IllegalArgumentException("Pairs need as many reference rounds (" + referenceP50s.size()
					+ ") as subject rounds (" + subjectP50s.size() + ")");
		}
		List<Double> differences = new ArrayList<>();
		List<Double> ratios = new ArrayList<>();
		for (int i = 0; i < referenceP50s.size(); i++) {
			double reference = referenceP50s.get(i);
			double subject = subjectP50s.get(i);
			differences.add(subject - reference);
			if (reference > 0) {
				ratios.add(subject / reference);
			}
		}
		if (ratios.isEmpty()) {
			throw new IllegalArgumentException("No pair with a measured reference");
		}
		Spread spread = Spread.of(differences);
		List<Double> deviations = differences.stream().map((d) -> Math.abs(d - spread.median())).toList();
		return new PairedDifference(referenceP50s.size(), spread, Spread.of(ratios), Spread.of(deviations).median());
	}

}
