package dev.redlock;

import java.util.List;

/**
 * A lock was not acquired within the retries or the wait allowed. {@link #reason()} tells
 * contention (another owner holds it) from an outage (too few nodes answered), and
 * {@link #attempts()} keeps what each node answered on each attempt.
 */
public class LockAcquisitionException extends RedlockException {

	/** Why the last attempt failed. */
	public enum Reason {

		/** Enough nodes answered, but another owner holds the resource on too many of them. */
		HELD_BY_ANOTHER_OWNER,

		/** Too many nodes failed or timed out for a majority to be possible. */
		QUORUM_UNREACHABLE,

		/** A majority granted the lock, but it took longer than the ttl allows (validity ≤ 0). */
		VALIDITY_EXHAUSTED

	}

	private final List<String> resources;

	private final Reason reason;

	private final int attemptCount;

	private final List<AcquisitionAttempt> attempts;

	public LockAcquisitionException(List<String> resources, Reason reason, int attemptCount,
			List<AcquisitionAttempt> attempts) {
		super(message(resources, reason, attemptCount, attempts));
		this.resources = List.copyOf(resources);
		this.reason = reason;
		this.attemptCount = attemptCount;
		this.attempts = List.copyOf(attempts);
	}

	private static String message(List<String> resources, Reason reason, int attemptCount,
			List<AcquisitionAttempt> attempts) {
		String why = switch (reason) {
			case HELD_BY_ANOTHER_OWNER -> "held by another owner";
			case QUORUM_UNREACHABLE -> "a quorum of nodes could not be reached";
			case VALIDITY_EXHAUSTED -> "a majority answered too late for the ttl";
		};
		String last = attempts.isEmpty() ? "" : "; last attempt " + attempts.get(attempts.size() - 1);
		return "Could not acquire lock on " + resources + " after " + attemptCount
				+ ((attemptCount == 1) ? " attempt: " : " attempts: ") + why + last;
	}

	/** The resources that were asked for. */
	public List<String> resources() {
		return this.resources;
	}

	/** Why the last attempt failed. */
	public Reason reason() {
		return this.reason;
	}

	/** Whether another owner holds the resource (as opposed to an outage). */
	public boolean isHeldByAnotherOwner() {
		return this.reason == Reason.HELD_BY_ANOTHER_OWNER;
	}

	/** How many attempts were made in all. */
	public int attemptCount() {
		return this.attemptCount;
	}

	/**
	 * What the nodes answered, attempt by attempt; the most recent attempts only when
	 * there were many.
	 */
	public List<AcquisitionAttempt> attempts() {
		return this.attempts;
	}

}
