package dev.redlock.spring;

import dev.redlock.LockAcquisitionException;

/**
 * How one locked call's acquisition ended: the {@code outcome} tag of the
 * {@code redlock.acquire} timer and of the {@code redlock.lock} observation.
 */
public enum LockOutcome {

	/** The lock was acquired. */
	ACQUIRED("acquired"),

	/** The thread already held the keys: the call joined the enclosing lock. */
	JOINED("joined"),

	/** Another owner held the lock and the call was skipped ({@link IfLocked#SKIP}). */
	SKIPPED("skipped"),

	/** Another owner held the lock until the wait ran out. */
	HELD_BY_ANOTHER("held-by-another"),

	/** Too few nodes answered for a majority. */
	QUORUM_UNREACHABLE("quorum-unreachable"),

	/** A majority granted the lock, but too late for its ttl. */
	VALIDITY_EXHAUSTED("validity-exhausted"),

	/** Anything else went wrong: a closed Redlock, an interrupt, a bug. */
	ERROR("error");

	private final String tag;

	LockOutcome(String tag) {
		this.tag = tag;
	}

	/** The value as a tag: lower case, words joined with {@code -}. */
	public String tag() {
		return this.tag;
	}

	/** The outcome of an acquisition that failed with {@code failure}. */
	public static LockOutcome of(Throwable failure) {
		if (failure instanceof LockAcquisitionException acquisition) {
			return switch (acquisition.reason()) {
				case HELD_BY_ANOTHER_OWNER -> HELD_BY_ANOTHER;
				case QUORUM_UNREACHABLE -> QUORUM_UNREACHABLE;
				case VALIDITY_EXHAUSTED -> VALIDITY_EXHAUSTED;
			};
		}
		return ERROR;
	}

}
