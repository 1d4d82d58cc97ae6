package dev.redlock.sample.fenced;

/**
 * A store of records that can refuse a stale writer: each record keeps the highest fencing
 * token it has accepted, and a write carrying a token that is not above it is refused.
 */
public interface Records {

	/** Writes {@code value} if {@code token} is above the record's fence; returns whether it did. */
	boolean write(String id, String value, long token);

	/** Writes {@code value} whatever the token: what a store without a fence does. */
	void writeUnfenced(String id, String value);

	Record read(String id);

	/** A record's value and the token of its last fenced write (0 if none). */
	record Record(String id, String value, long fence) {
	}

}
