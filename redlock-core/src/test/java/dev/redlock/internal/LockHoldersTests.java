package dev.redlock.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LockHoldersTests {

	@Test
	void oneLockOnMoreNodesThanTheOthersCanDoWithoutLocksEveryoneOut() {
		LockHolders holders = new LockHolders(3);
		holders.held(1, "owner");
		assertThat(holders.lockOut(2, null)).isFalse();
		holders.held(2, "owner");
		assertThat(holders.lockOut(2, null)).isTrue();
		assertThat(holders.heldAt(0)).isFalse();
		assertThat(holders.heldAt(2)).isTrue();
	}

	@Test
	void differentContendersLocksAreASplitNotALockOut() {
		LockHolders holders = new LockHolders(3);
		holders.held(1, "contender-1");
		holders.held(2, "contender-2");
		assertThat(holders.lockOut(2, null)).isFalse();
	}

	@Test
	void onFourNodesTwoOfOneLockLeaveTooFewForAQuorum() {
		LockHolders holders = new LockHolders(4);
		holders.held(0, "owner");
		holders.held(3, "owner");
		assertThat(holders.lockOut(3, null)).isTrue();
	}

	@Test
	void theLockWhoseReleaseWokeTheWaiterIsOnItsWayOutNotALockOut() {
		// Told by the designated node, the release has not reached the other nodes yet.
		LockHolders holders = new LockHolders(3);
		holders.held(1, "released");
		holders.held(2, "released");
		assertThat(holders.lockOut(2, "released")).isFalse();
		assertThat(holders.lockOut(2, "another")).isTrue();
	}

}
