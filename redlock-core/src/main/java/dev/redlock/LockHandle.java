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
	 *
	 * <p>
	 * The token is the largest of the resource's counters read from a quorum of the nodes that
	 * hold the lock, each raised to at least the node's own {@code TIME} in microseconds, and
	 * written back to a quorum before it is returned. Any two quorums share a node, so tokens
	 * grow as long as the counters are kept. What they assume beyond that:
	 * <ul>
	 * <li><b>A clock floor for lost counters.</b> A node restarted empty (no persistence), or
	 * failed over to a replica that lacked the counter, starts again from its clock. Its tokens
	 * are still above every earlier one provided its clock is not behind the clock of the node
	 * that issued the last token by more than the time passed since: for a restart, at least
	 * the restart delay the locks already require (their ttl). That covers a rolling restart of
	 * every node, where no quorum kept a counter; NTP keeps clocks far closer than that.</li>
	 * <li><b>Clocks that never jump forward</b>, as the locks themselves require: a clock set
	 * ahead and then corrected would let a node that later loses its counters start below
	 * them.</li>
	 * <li><b>A 24-hour counter expiry.</b> A counter expires 24 hours after the last token of
	 * its resource, so resources fenced once do not fill the nodes' memory. An expired counter
	 * is a lost one, covered by the clock floor as long as the clocks agree to within those 24
	 * hours: a weaker demand than the one above.</li>
	 * <li><b>A store that compares and records atomically</b>, keeping the highest token it
	 * accepted.</li>
	 * </ul>
	 * Tokens are decimal microseconds since 1970, about 1.8 &times; 10<sup>15</sup> today, so a
	 * {@code long} holds them; they are not consecutive.
	 * @throws IllegalStateException if the lock holds several resources: use
	 * {@link #fencingToken(String)}
	 * @throws LockExtensionException if the lock is no longer held (the first call only)
	 * @throws RedlockException if a quorum of nodes could not confirm the token in time
	 */
	long fencingToken();

	/**
	 * The fencing token of one resource of this lock; see {@link #fencingToken()}, whose
	 * guarantee and assumptions (a clock floor for counters lost to an empty restart, clocks
	 * in step to within the restart delay, a 24-hour counter expiry) hold for each resource
	 * separately: tokens of different resources are not comparable. The tokens of all its
	 * resources are obtained together, on the first call.
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
