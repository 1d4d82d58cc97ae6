package dev.redlock.internal;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Validity is computed in one place, from the very ttl that is sent to Redis. */
class LeaseTests {

	@Test
	void theTtlSentAndTheTtlUsedForValidityAreTheSameWholeMilliseconds() {
		Lease lease = Lease.of(Duration.ofNanos(10_999_999), 0.01);
		assertThat(lease.ttlMillis()).isEqualTo(10);
		// Validity counts 10 ms, not the 0.999 ms Redis was never asked for.
		assertThat(lease.validUntil(0)).isEqualTo(10_000_000 - lease.driftNanos());
	}

	@Test
	void driftIsTtlTimesTheFactorPlusTwoMilliseconds() {
		Lease lease = Lease.of(Duration.ofSeconds(10), 0.01);
		assertThat(lease.driftNanos()).isEqualTo(100_000_000 + 2_000_000);
		assertThat(lease.validUntil(5)).isEqualTo(5 + 10_000_000_000L - 102_000_000);
	}

	@Test
	void validityIsMeasuredFromTheSendSoTheTimeTheNodesTookCounts() {
		Lease lease = Lease.of(Duration.ofMillis(100), 0.0);
		long sentAt = 1_000_000_000L;
		assertThat(lease.isValid(sentAt, sentAt + 97_999_999)).isTrue();
		assertThat(lease.isValid(sentAt, sentAt + 98_000_000)).isFalse();
	}

}
