package dev.redlock.benchmarks.measure;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/** The observers' overhead from paired rounds: load that moves both halves of a pair cancels out. */
class PairedDifferenceTests {

	@Test
	void loadThatSlowsBothHalvesOfAPairCancelsOut() {
		// The machine's load moves the pairs from 100 to 900 µs; the subject is always 4 µs slower.
		List<Double> reference = List.of(100.0, 900.0, 300.0, 500.0, 120.0);
		List<Double> subject = List.of(104.0, 904.0, 304.0, 504.0, 124.0);
		PairedDifference paired = PairedDifference.of(reference, subject);
		assertThat(paired.pairs()).isEqualTo(5);
		assertThat(paired.differenceUs().median()).isCloseTo(4.0, within(1e-9));
		assertThat(paired.differenceUs().min()).isCloseTo(4.0, within(1e-9));
		assertThat(paired.differenceUs().max()).isCloseTo(4.0, within(1e-9));
		// The ratio, unlike the difference, depends on the pair's level; its median is the middle pair's.
		assertThat(paired.ratio().median()).isCloseTo(304.0 / 300.0, within(1e-9));
	}

	@Test
	void theMedianOfThePairsIgnoresAPairABurstHitOnOneSide() {
		List<Double> reference = List.of(100.0, 100.0, 100.0, 100.0);
		List<Double> subject = List.of(103.0, 105.0, 400.0, 101.0);
		PairedDifference paired = PairedDifference.of(reference, subject);
		assertThat(paired.differenceUs().median()).isCloseTo(4.0, within(1e-9));
		assertThat(paired.differenceUs().max()).isCloseTo(300.0, within(1e-9));
	}

	@Test
	void pairsThatDisagreeByMoreThanTheLimitDoNotResolveIt() {
		// Differences −40, 4 and 60 µs: the median says 4, but the pairs cannot tell 4 from 50.
		PairedDifference noisy = PairedDifference.of(List.of(100.0, 100.0, 100.0), List.of(60.0, 104.0, 160.0));
		assertThat(noisy.differenceUs().median()).isCloseTo(4.0, within(1e-9));
		assertThat(noisy.madUs()).isCloseTo(44.0, within(1e-9));
		assertThat(noisy.within(5.0)).isNull();
		// The same median with pairs that agree to a microsecond.
		PairedDifference steady = PairedDifference.of(List.of(100.0, 200.0, 300.0, 400.0),
				List.of(103.5, 204.0, 304.0, 404.5));
		assertThat(steady.within(5.0)).isTrue();
		PairedDifference above = PairedDifference.of(List.of(100.0, 200.0, 300.0), List.of(120.0, 221.0, 319.0));
		assertThat(above.within(5.0)).isFalse();
	}

	@Test
	void aSubjectFasterByMoreThanTheLimitResolvesNothing() {
		// Doing more work cannot save 30 µs: these pairs measured something else.
		PairedDifference faster = PairedDifference.of(List.of(130.0, 231.0, 329.0), List.of(100.0, 200.0, 300.0));
		assertThat(faster.differenceUs().median()).isCloseTo(-30.0, within(1e-9));
		assertThat(faster.within(5.0)).isNull();
	}

	@Test
	void aNegativeDifferenceStaysNegative() {
		PairedDifference paired = PairedDifference.of(List.of(110.0), List.of(108.0));
		assertThat(paired.differenceUs().median()).isCloseTo(-2.0, within(1e-9));
	}

	@Test
	void pairsNeedBothHalves() {
		assertThatIllegalArgumentException().isThrownBy(() -> PairedDifference.of(List.of(1.0, 2.0), List.of(1.0)));
		assertThatIllegalArgumentException().isThrownBy(() -> PairedDifference.of(List.of(0.0), List.of(1.0)));
	}

}
