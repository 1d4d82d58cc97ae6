package dev.redlock;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The view of a held lock that code running under it needs: is it still mine, and tell me
 * when it is not. {@link Redlock#using} passes one to its task.
 */
public interface LockHandle {

	/** The resource names, exactly as given; they are the Redis keys. */
	List<String> resources();

	/** The random token stored under every key; only its holder can release or extend. */
	String value();

	/**
	 * The fencing token of this lock's only resource: pass it with every write the lock
	 * protects, and have the store refuse a write whose token is lower than one it has seen
	 * (see {@code docs/safety.md}). For the same resource, a holder that acquired later always
	 * has a larger token. The first call costs two round trips to the nodes (a lock whose token
	 * is never asked for costs nothing); later calls return the same value at once.
	 * @throws IllegalStateException if the lock holds several resources: use
	 * {@link #fencingToken(String)}
	 * @throws LockExtensionException if the lock is no longer held (the first call only)
	 * @throws RedlockException if a quorum of nodes could not confirm the token in time
	 */
	long fencingToken();

	/**
	 * The fencing token of one resource of this lock; see {@link #fencingToken()}. The tokens of
	 * all its resources are obtained together, on the first call.
	 * @throws IllegalArgumentException if {@code resource} is not one of this lock's
	 */
	long fencingToken(String resource);

	/**
	 * The fencing token of {@code resource} if it was already obtained, without asking the
	 * nodes: for tools that show a lock (an actuator endpoint) and must not cost the lock
	 * round trips. Empty until a {@link #fencingToken} call succeeded.
	 */
	default OptionalLong knownFencingToken(String resource) {
		return OptionalLong.empty();
	}

	/** {@link #fencingToken(String)} without blocking. */
	CompletionStage<Long> fencingTokenAsync(String resource);

	/**
	 * How long the lock is still guaranteed to be held, by the local monotonic clock, already
	 * reduced by the clock drift allowance. {@link Duration#ZERO} once expired or released.
	 */
	Duration remainingValidity();

	/** Whether the lock is held: not released, not lost, and still valid locally. */
	boolean isHeld();

	/**
	 * Asks the nodes whether a quorum still holds this lock's token (redsync's {@code Valid}),
	 * for code that wants to verify before it commits work the lock protects: stronger than
	 * {@link #isHeld()}, which trusts the local clock, at the cost of a round trip. Returns
	 * false if the lock is not held locally, or a quorum did not confirm in time; when a
	 * quorum holds another token (or none), the lock is also marked lost.
	 */
	boolean check();

	/** {@link #check()} without blocking. */
	CompletionStage<Boolean> checkAsync();

	/**
	 * Runs {@code callback} once if the lock is lost while held (an automatic extension
	 * failed, or a quorum refused an extension); at once if it is already lost. Not run on
	 * a normal release.
	 */
	void onLost(Consumer<? super RedlockException> callback);

	/**
	 * Throws the loss cause if the lock was lost, or a {@link LockExtensionException} if it
	 * has expired; call before committing work that the lock must protect.
	 */
	void throwIfLost();

}
