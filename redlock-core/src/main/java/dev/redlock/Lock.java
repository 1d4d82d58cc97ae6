package dev.redlock;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A lock held on a majority of nodes. Thread-safe. Closing it releases it, so it fits
 * try-with-resources:
 *
 * <pre>{@code
 * try (Lock lock = redlock.acquire("locks:account:1", Duration.ofSeconds(10))) {
 *     transfer();
 * }
 * }</pre>
 */
public interface Lock extends LockHandle, AutoCloseable {

	/**
	 * The nodes that granted the lock when it was acquired, as shown in logs: at least a
	 * quorum of them.
	 */
	List<String> grantedBy();

	/**
	 * Sets the lock's expiry on every node to {@code ttl} from now, if the lock is still
	 * valid locally and a quorum confirms. Returns this lock, with a fresh validity, as soon
	 * as a quorum has confirmed (or can no longer confirm); the other nodes finish in the
	 * background.
	 * @throws LockExtensionException if it expired or a quorum did not confirm; when a
	 * quorum refused (the keys hold another token) the lock is also marked lost
	 * @throws RedlockException saying the Redlock is closed, at once, if it was closed (as do
	 * {@link #check()} and {@link #fencingToken()})
	 */
	Lock extend(Duration ttl);

	/** {@link #extend} without blocking. */
	CompletionStage<Lock> extendAsync(Duration ttl);

	/**
	 * Keeps the lock alive by extending it by its original ttl shortly before it would
	 * expire, on the Redlock's shared scheduler, until it is released. If an extension
	 * fails and the lock runs out, it is marked lost and {@link #onLost} callbacks run.
	 * @return this lock
	 */
	Lock autoExtend();

	/**
	 * Deletes the keys on every node where they still hold this lock's token, and wakes
	 * waiters. Idempotent. Never throws for node errors: keys on nodes that could not be
	 * reached expire with their ttl, and the errors go to the listener. Returns as soon as a
	 * quorum has answered; the other nodes finish in the background. Completes even on an
	 * interrupted thread (the interrupt flag is kept), so it is safe in {@code finally}; and
	 * after the Redlock was closed it sends nothing (its keys expire with their ttl) and only
	 * marks the lock released.
	 */
	void release();

	/** {@link #release} without blocking. */
	CompletionStage<Void> releaseAsync();

	/** Same as {@link #release()}. */
	@Override
	void close();

}
