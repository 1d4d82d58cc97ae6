package dev.redlock;

import java.time.Duration;
import java.util.List;

/**
 * One attempt to acquire a lock: what every node answered and how long the round took.
 *
 * @param number the attempt's number, from 1
 * @param votes one vote per node, in the order the nodes were configured
 * @param elapsed the time from sending the commands to the decision
 */
public record AcquisitionAttempt(int number, List<NodeVote> votes, Duration elapsed) {

	public AcquisitionAttempt {
		votes = List.copyOf(votes);
	}

	/** How many nodes voted {@code vote}. */
	public long count(NodeVote.Vote vote) {
		return this.votes.stream().filter((v) -> v.vote() == vote).count();
	}

	@Override
	public String toString() {
		return "#" + this.number + " " + this.votes + " in " + this.elapsed.toNanos() / 1000 + "us";
	}

}
