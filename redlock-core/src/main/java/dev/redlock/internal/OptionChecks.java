package dev.redlock.internal;

import java.time.Duration;
import java.util.List;

/**
 * The checks shared by the builder's options and the per-call options, so both accept and
 * refuse the same values with the same words. Each adds a problem to the list instead of
 * throwing, so a user sees every mistake at once.
 */
public final class OptionChecks {

	/** Beyond a day these are mistakes, and far beyond they overflow nanosecond arithmetic. */
	private static final Duration MAX_DELAY = Duration.ofDays(1);

	private OptionChecks() {
	}

	public static void driftFactor(List<String> problems, double driftFactor) {
		if (!(driftFactor >= 0 && driftFactor < 1)) {
			problems.add("driftFactor must be in [0, 1), but was " + driftFactor);
		}
	}

	public static void retryCount(List<String> problems, int retryCount) {
		if (retryCount < -1) {
			problems.add("retryCount must be -1 (until acquired), 0 (one attempt) or more, but was " + retryCount);
		}
	}

	/** Zero or positive, and at most a day. */
	public static void delay(List<String> problems, String option, Duration value) {
		if (value == null || value.isNegative()) {
			problems.add(option + " must be zero or positive, but was " + value);
		}
		atMostADay(problems, option, value);
	}

	/** Positive, and at most a day. */
	public static void positive(List<String> problems, String option, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			problems.add(option + " must be positive, but was " + value);
		}
		atMostADay(problems, option, value);
	}

	/** Zero (one attempt) or more; a bound too long for the clock to reach means none. */
	public static void waitTime(List<String> problems, Duration value) {
		if (value == null || value.isNegative()) {
			problems.add("waitTime must be zero or positive (zero makes one attempt), but was " + value);
		}
	}

	private static void atMostADay(List<String> problems, String option, Duration value) {
		if (value != null && value.compareTo(MAX_DELAY) > 0) {
			problems.add(option + " must be at most " + MAX_DELAY.toHours() + " hours, but was " + value);
		}
	}

	/** Throws if there is any problem, naming them all. */
	public static void throwIfAny(String what, List<String> problems) {
		if (!problems.isEmpty()) {
			throw new IllegalArgumentException(what + ": " + String.join("; ", problems));
		}
	}

}
