package dev.redlock;

import java.util.List;

/**
 * A lock could not be extended: it had already expired locally, or a quorum of nodes
 * did not confirm the new expiry (the lock may now belong to someone else).
 */
public class LockExtensionException extends RedlockException {

	private final List<String> resources;

	private final List<NodeVote> votes;

	public LockExtensionException(String message, List<String> resources, List<NodeVote> votes) {
		super(message);
		this.resources = List.copyOf(resources);
		this.votes = List.copyOf(votes);
	}

	/** The resources of the lock that could not be extended. */
	public List<String> resources() {
		return this.resources;
	}

	/** What each node answered to the extension; empty when it was refused locally. */
	public List<NodeVote> votes() {
		return this.votes;
	}

}
