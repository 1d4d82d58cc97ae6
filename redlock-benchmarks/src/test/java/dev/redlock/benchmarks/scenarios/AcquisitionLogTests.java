package dev.redlock.benchmarks.scenarios;

import java.util.List;

import dev.redlock.benchmarks.measure.ContentionOutcome;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The two-JVM run's merge: a child's events, sent as lines, replayed with the parent's through
 * one ledger, count handoffs and overlaps across the JVMs as within one. No Redis, no child JVM.
 */
class AcquisitionLogTests {

	/** Wide enough for every event below. */
	private final Window window = Window.between(0, 1_000_000);

	@Test
	void linesReadBackAsTheSameEvents() {
		AcquisitionLog child = new AcquisitionLog();
		child.acquired(4, 100, 250);
		child.releasing(4, 1_250);
		child.timedOut(5, 2_000);
		AcquisitionLog parent = new AcquisitionLog();
		child.lines().forEach(parent::read);
		assertThat(parent.lines()).containsExactly("A 4 100 250", "R 4 1250", "T 5 2000");
	}

	@Test
	void handoffsBetweenTheJvmsCountAsWithinOne() {
		AcquisitionLog parent = new AcquisitionLog();
		AcquisitionLog child = new AcquisitionLog();
		// Worker 0 here holds; worker 1 in the child waits from 500 and gets it 100 ns after the release.
		parent.acquired(0, 90, 100);
		parent.releasing(0, 1_100);
		child.acquired(1, 500, 1_200);
		child.releasing(1, 2_200);
		// Worker 0 asks again while 1 holds, and gets it back.
		parent.acquired(0, 1_600, 2_300);
		parent.releasing(0, 3_300);
		HandoffLedger ledger = replay(parent, child.lines());
		ContentionOutcome outcome = ledger.outcome();
		assertThat(ledger.acquisitions()).isEqualTo(3);
		assertThat(outcome.overlaps()).isZero();
		assertThat(outcome.reacquired()).isZero();
		assertThat(outcome.handoff().getTotalCount()).isEqualTo(2);
		assertThat(outcome.handoff().getMaxValue()).isBetween(99L, 101L);
		assertThat(outcome.fewestPerWorker()).isEqualTo(1);
		assertThat(outcome.mostPerWorker()).isEqualTo(2);
		assertThat(ledger.waits().getMaxValue()).isBetween(699L, 701L);
	}

	@Test
	void anAcquisitionInTheOtherJvmBeforeTheReleaseIsAnOverlap() {
		AcquisitionLog parent = new AcquisitionLog();
		parent.acquired(0, 90, 100);
		parent.releasing(0, 1_100);
		HandoffLedger ledger = replay(parent, List.of("A 1 500 1050", "R 1 2050"));
		assertThat(ledger.outcome().overlaps()).isEqualTo(1);
	}

	@Test
	void aReleaseAndAnAcquisitionAtTheSameNanosecondAreNoOverlap() {
		AcquisitionLog parent = new AcquisitionLog();
		parent.acquired(0, 90, 100);
		parent.releasing(0, 1_100);
		HandoffLedger ledger = replay(parent, List.of("A 1 500 1100", "R 1 2100"));
		assertThat(ledger.outcome().overlaps()).isZero();
	}

	@Test
	void aLineThatIsNoEventIsRefused() {
		AcquisitionLog log = new AcquisitionLog();
		assertThatIllegalArgumentException().isThrownBy(() -> log.read("A 1 2")).withMessageContaining("'A 1 2'");
		assertThatIllegalArgumentException().isThrownBy(() -> log.read("R one 2"));
		assertThatIllegalArgumentException().isThrownBy(() -> log.read("ready"));
	}

	private HandoffLedger replay(AcquisitionLog parent, List<String> childLines) {
		childLines.forEach(parent::read);
		HandoffLedger ledger = new HandoffLedger(this.window, 2);
		parent.replay(ledger);
		return ledger;
	}

}
