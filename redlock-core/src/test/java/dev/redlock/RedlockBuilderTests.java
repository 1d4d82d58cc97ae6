package dev.redlock;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Every invalid option fails in build(), naming the option. No Redis needed: nothing connects. */
class RedlockBuilderTests {

	private RedlockBuilder valid() {
		return Redlock.builder().node("redis://127.0.0.1:1");
	}

	@Test
	void requiresANode() {
		assertThatIllegalArgumentException().isThrownBy(() -> Redlock.builder().build())
			.withMessageContaining("nodes: at least one node is required");
	}

	@Test
	void rejectsANodeListedTwice() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Redlock.builder().nodes(List.of("redis://127.0.0.1:1", "redis://127.0.0.1:1")).build())
			.withMessageContaining("nodes[1]: redis://127.0.0.1:1 is listed twice");
	}

	@Test
	void rejectsAnUnparsableUriWithoutEchoingItsPassword() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Redlock.builder().node("redis://user:s3cret@127.0.0.1:notaport").build())
			.withMessageContaining("nodes[0] is not a valid Redis URI")
			.withMessageNotContaining("s3cret");
	}

	@Test
	void rejectsADriftFactorOutsideZeroToOne() {
		assertThatIllegalArgumentException().isThrownBy(() -> valid().driftFactor(1.0).build())
			.withMessageContaining("driftFactor must be in [0, 1), but was 1.0");
		assertThatIllegalArgumentException().isThrownBy(() -> valid().driftFactor(-0.1).build())
			.withMessageContaining("driftFactor");
		assertThatIllegalArgumentException().isThrownBy(() -> valid().driftFactor(Double.NaN).build())
			.withMessageContaining("driftFactor");
	}

	@Test
	void rejectsRetryCountsBelowMinusOne() {
		assertThatIllegalArgumentException().isThrownBy(() -> valid().retryCount(-2).build())
			.withMessageContaining("retryCount must be -1");
	}

	@Test
	void rejectsNegativeAndZeroDurations() {
		assertThatIllegalArgumentException().isThrownBy(() -> valid().retryDelay(Duration.ofMillis(-1)).build())
			.withMessageContaining("retryDelay must be zero or positive");
		assertThatIllegalArgumentException().isThrownBy(() -> valid().retryJitter(Duration.ofMillis(-1)).build())
			.withMessageContaining("retryJitter");
		assertThatIllegalArgumentException().isThrownBy(() -> valid().waitTime(Duration.ofMillis(-1)).build())
			.withMessageContaining("waitTime");
		assertThatIllegalArgumentException().isThrownBy(() -> valid().commandTimeout(Duration.ZERO).build())
			.withMessageContaining("commandTimeout must be positive");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> valid().automaticExtensionThreshold(Duration.ZERO).build())
			.withMessageContaining("automaticExtensionThreshold must be positive");
	}

	@Test
	void reportsEveryProblemAtOnce() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> valid().driftFactor(2).retryCount(-5).commandTimeout(Duration.ZERO).build())
			.withMessageContainingAll("driftFactor", "retryCount", "commandTimeout");
	}

}
