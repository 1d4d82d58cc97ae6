package dev.redlock.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import dev.redlock.AcquisitionAttempt;
import dev.redlock.LockAcquisitionException;
import dev.redlock.LockAcquisitionException.Reason;
import dev.redlock.NodeVote.Vote;

/**
 * The failed attempts of one acquisition, the last {@value #KEPT} of them, and the exception
 * that reports them: what every node answered is what a user needs to tell contention from
 * an outage.
 */
final class AttemptHistory {

	private static final int KEPT = 16;

	private final Deque<AcquisitionAttempt> attempts = new ArrayDeque<>();

	private final int quorum;

	AttemptHistory(int quorum) {
		this.quorum = quorum;
	}

	void failed(AcquisitionAttempt attempt) {
		if (this.attempts.size() == KEPT) {
			this.attempts.removeFirst();
		}
		this.attempts.addLast(attempt);
	}

	LockAcquisitionException exception(List<String> resources, int attemptCount) {
		return new LockAcquisitionException(resources, reasonOf(this.attempts.peekLast()), attemptCount,
				new ArrayList<>(this.attempts));
	}

	private Reason reasonOf(AcquisitionAttempt last) {
		if (last == null) {
			return Reason.HELD_BY_ANOTHER_OWNER;
		}
		int nodes = last.votes().size();
		if (last.count(Vote.FAILED) > nodes - this.quorum) {
			return Reason.QUORUM_UNREACHABLE;
		}
		return (last.count(Vote.GRANTED) >= this.quorum) ? Reason.VALIDITY_EXHAUSTED : Reason.HELD_BY_ANOTHER_OWNER;
	}

}
