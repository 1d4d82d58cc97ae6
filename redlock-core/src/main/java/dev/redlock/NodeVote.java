package dev.redlock;

import dev.redlock.internal.NodeNames;

/**
 * What one node answered to one operation of one attempt.
 *
 * @param node the node, as shown in logs (never with its password)
 * @param vote the answer
 * @param error the client error when {@code vote} is {@link Vote#FAILED}, else {@code null}
 */
public record NodeVote(String node, Vote vote, Throwable error) {

	/** A node's answer. */
	public enum Vote {

		/** The node did what was asked: set, extended or released the keys. */
		GRANTED,

		/** The node answered no: another owner holds the keys (or no longer ours). */
		REFUSED,

		/** No usable answer: an error, a timeout or a connection that is down. */
		FAILED,

		/**
		 * Not asked. A waiter that tries again asks the key's designated node first and the
		 * other nodes only once it granted, so waiters racing for a released key never split
		 * the vote; an attempt that lost the designated node leaves the others unasked.
		 */
		NOT_ASKED

	}

	@Override
	public String toString() {
		// A driver message could quote a URI; its user-info part never reaches a log.
		return (this.error != null) ? this.node + "=" + this.vote + " (" + NodeNames.maskCredentials(this.error.getMessage()) + ")"
				: this.node + "=" + this.vote;
	}

}
