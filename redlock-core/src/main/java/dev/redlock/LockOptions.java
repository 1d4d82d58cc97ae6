package dev.redlock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

import dev.redlock.internal.OptionChecks;
import dev.redlock.internal.Validation;

/**
 * Settings for one call of {@link Redlock#acquire(String, Duration, LockOptions) acquire},
 * {@link Redlock#tryAcquire(String, Duration, LockOptions) tryAcquire} or
 * {@link Redlock#using(String, Duration, LockOptions, LockedTask) using}, where they differ
 * from the {@link RedlockBuilder}'s: every option left unset takes the builder's value.
 * Immutable; build once and reuse.
 *
 * <pre>{@code
 * LockOptions patient = LockOptions.builder().waitTime(Duration.ofSeconds(30)).build();
 * try (Lock lock = redlock.acquire("locks:report", Duration.ofSeconds(10), patient)) { ... }
 * }</pre>
 *
 * As with the builder, a {@code waitTime} without a {@code retryCount} retries without a
 * count limit within the wait. The retry settings do not apply to {@code tryAcquire}, which
 * makes exactly one attempt.
 */
public final class LockOptions {

	private static final LockOptions DEFAULTS = new Builder().build();

	private final Integer retryCount;

	private final Duration retryDelay;

	private final Duration retryJitter;

	private final Duration waitTime;

	private final Double driftFactor;

	private final Duration automaticExtensionThreshold;

	private LockOptions(Builder builder) {
		this.retryCount = builder.retryCount;
		this.retryDelay = builder.retryDelay;
		this.retryJitter = builder.retryJitter;
		this.waitTime = builder.waitTime;
		this.driftFactor = builder.driftFactor;
		this.automaticExtensionThreshold = builder.automaticExtensionThreshold;
	}

	/** No option set: the builder's values throughout. */
	public static LockOptions defaults() {
		return DEFAULTS;
	}

	public static Builder builder() {
		return new Builder();
	}

	/** What the {@code maxWait} forms mean: at most {@code maxWait} of tries, whatever the retry count. */
	static LockOptions waitingAtMost(Duration maxWait) {
		return builder().waitTime(Validation.maxWait(maxWait)).retryCount(-1).build();
	}

	/** Retries after a failed first attempt: 0 for one attempt, -1 until acquired or the wait runs out. */
	public OptionalInt retryCount() {
		return (this.retryCount != null) ? OptionalInt.of(this.retryCount) : OptionalInt.empty();
	}

	public Optional<Duration> retryDelay() {
		return Optional.ofNullable(this.retryDelay);
	}

	public Optional<Duration> retryJitter() {
		return Optional.ofNullable(this.retryJitter);
	}

	/** The bound on the whole acquisition; zero makes one attempt. */
	public Optional<Duration> waitTime() {
		return Optional.ofNullable(this.waitTime);
	}

	public OptionalDouble driftFactor() {
		return (this.driftFactor != null) ? OptionalDouble.of(this.driftFactor) : OptionalDouble.empty();
	}

	public Optional<Duration> automaticExtensionThreshold() {
		return Optional.ofNullable(this.automaticExtensionThreshold);
	}

	@Override
	public String toString() {
		return "LockOptions[retryCount=" + this.retryCount + ", retryDelay=" + this.retryDelay + ", retryJitter="
				+ this.retryJitter + ", waitTime=" + this.waitTime + ", driftFactor=" + this.driftFactor
				+ ", automaticExtensionThreshold=" + this.automaticExtensionThreshold + "]";
	}

	/** Builds {@link LockOptions}; {@link #build()} checks every value set, as the Redlock's builder does. */
	public static final class Builder {

		private Integer retryCount;

		private Duration retryDelay;

		private Duration retryJitter;

		private Duration waitTime;

		private Double driftFactor;

		private Duration automaticExtensionThreshold;

		private Builder() {
		}

		/** See {@link RedlockBuilder#retryCount(int)}. */
		public Builder retryCount(int retryCount) {
			this.retryCount = retryCount;
			return this;
		}

		/** See {@link RedlockBuilder#retryDelay(Duration)}. */
		public Builder retryDelay(Duration retryDelay) {
			this.retryDelay = retryDelay;
			return this;
		}

		/** See {@link RedlockBuilder#retryJitter(Duration)}. */
		public Builder retryJitter(Duration retryJitter) {
			this.retryJitter = retryJitter;
			return this;
		}

		/** See {@link RedlockBuilder#waitTime(Duration)}. */
		public Builder waitTime(Duration waitTime) {
			this.waitTime = waitTime;
			return this;
		}

		/** See {@link RedlockBuilder#driftFactor(double)}. */
		public Builder driftFactor(double driftFactor) {
			this.driftFactor = driftFactor;
			return this;
		}

		/** See {@link RedlockBuilder#automaticExtensionThreshold(Duration)}. */
		public Builder automaticExtensionThreshold(Duration threshold) {
			this.automaticExtensionThreshold = threshold;
			return this;
		}

		/** @throws IllegalArgumentException naming every invalid option */
		public LockOptions build() {
			List<String> problems = new ArrayList<>();
			if (this.retryCount != null) {
				OptionChecks.retryCount(problems, this.retryCount);
			}
			if (this.retryDelay != null) {
				OptionChecks.delay(problems, "retryDelay", this.retryDelay);
			}
			if (this.retryJitter != null) {
				OptionChecks.delay(problems, "retryJitter", this.retryJitter);
			}
			if (this.waitTime != null) {
				OptionChecks.waitTime(problems, this.waitTime);
			}
			if (this.driftFactor != null) {
				OptionChecks.driftFactor(problems, this.driftFactor);
			}
			if (this.automaticExtensionThreshold != null) {
				OptionChecks.positive(problems, "automaticExtensionThreshold", this.automaticExtensionThreshold);
			}
			OptionChecks.throwIfAny("Invalid LockOptions", problems);
			return new LockOptions(this);
		}

	}

}
