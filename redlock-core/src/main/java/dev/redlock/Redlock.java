package dev.redlock;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import dev.redlock.internal.FenceKeys;
import dev.redlock.internal.Futures;
import dev.redlock.internal.LockService;
import dev.redlock.internal.LockedWork;
import dev.redlock.internal.Validation;

/**
 * Distributed locks held on a majority of independent Redis masters: the Redlock algorithm,
 * over Lettuce. Thread-safe; create one per set of nodes and share it.
 *
 * <pre>{@code
 * Redlock redlock = Redlock.builder()
 *         .nodes(List.of("redis://10.0.0.1:6379", "redis://10.0.0.2:6379", "redis://10.0.0.3:6379"))
 *         .build();
 * try (Lock lock = redlock.acquire("locks:account:1", Duration.ofSeconds(10))) {
 *     transfer();
 * }
 * }</pre>
 *
 * Every operation goes to all nodes at once and is decided by a quorum of N/2+1. The resource
 * names are used as Redis keys exactly as given; they may not start with {@code redlock:fence:}
 * (fencing counters) or {@code redlock:line:} (waiting lines). Each call may override the builder's retry
 * and drift settings with {@link LockOptions}. Synchronous methods block only the caller; the
 * {@code Async} variants block nothing, and complete on the callback executor, never on an
 * I/O thread. An acquisition interrupted or cancelled while an attempt is out releases
 * whatever that attempt won.
 */
public final class Redlock implements AutoCloseable {

	private final LockService service;

	Redlock(LockService service) {
		this.service = service;
	}

	/** Starts configuring a Redlock. */
	public static RedlockBuilder builder() {
		return new RedlockBuilder();
	}

	/**
	 * Acquires a lock on one resource, retrying as configured.
	 * @throws LockAcquisitionException if it could not be acquired in the retries or time allowed
	 */
	public Lock acquire(String resource, Duration ttl) {
		return acquire(List.of(resource), ttl, LockOptions.defaults());
	}

	/** {@link #acquire(String, Duration)} with per-call options. */
	public Lock acquire(String resource, Duration ttl, LockOptions options) {
		return acquire(List.of(resource), ttl, options);
	}

	/**
	 * Acquires a lock on one resource, trying for at most {@code maxWait} whatever the retry
	 * count; a zero {@code maxWait} makes exactly one attempt. Short for a {@link LockOptions}
	 * with that {@code waitTime} and a retry count of -1.
	 * @throws LockAcquisitionException if it could not be acquired in time
	 */
	public Lock acquire(String resource, Duration ttl, Duration maxWait) {
		return acquire(List.of(resource), ttl, maxWait);
	}

	/**
	 * Acquires one lock on several resources: on every node, all are set or none is.
	 * @throws LockAcquisitionException if it could not be acquired in the retries or time allowed
	 */
	public Lock acquire(List<String> resources, Duration ttl) {
		return acquire(resources, ttl, LockOptions.defaults());
	}

	/** {@link #acquire(List, Duration)} with per-call options. */
	public Lock acquire(List<String> resources, Duration ttl, LockOptions options) {
		return Futures.await(start(resources, ttl, options, false), Lock::releaseAsync, "acquiring a lock on " + resources);
	}

	/**
	 * {@link #acquire(String, Duration, Duration)} for several resources, all or none.
	 * @throws LockAcquisitionException if it could not be acquired in time
	 */
	public Lock acquire(List<String> resources, Duration ttl, Duration maxWait) {
		return acquire(resources, ttl, LockOptions.waitingAtMost(maxWait));
	}

	/** {@link #acquire(String, Duration)} without blocking. */
	public CompletionStage<Lock> acquireAsync(String resource, Duration ttl) {
		return acquireAsync(List.of(resource), ttl, LockOptions.defaults());
	}

	/** {@link #acquire(String, Duration, LockOptions)} without blocking. */
	public CompletionStage<Lock> acquireAsync(String resource, Duration ttl, LockOptions options) {
		return acquireAsync(List.of(resource), ttl, options);
	}

	/** {@link #acquire(String, Duration, Duration)} without blocking. */
	public CompletionStage<Lock> acquireAsync(String resource, Duration ttl, Duration maxWait) {
		return acquireAsync(List.of(resource), ttl, maxWait);
	}

	/** {@link #acquire(List, Duration)} without blocking. */
	public CompletionStage<Lock> acquireAsync(List<String> resources, Duration ttl) {
		return acquireAsync(resources, ttl, LockOptions.defaults());
	}

	/** {@link #acquire(List, Duration, LockOptions)} without blocking. */
	public CompletionStage<Lock> acquireAsync(List<String> resources, Duration ttl, LockOptions options) {
		CompletableFuture<Lock> acquisition = start(resources, ttl, options, false);
		return this.service.deliver(acquisition, acquisition, Lock::releaseAsync);
	}

	/** {@link #acquire(List, Duration, Duration)} without blocking. */
	public CompletionStage<Lock> acquireAsync(List<String> resources, Duration ttl, Duration maxWait) {
		return acquireAsync(resources, ttl, LockOptions.waitingAtMost(maxWait));
	}

	/**
	 * Makes exactly one attempt.
	 * @return the lock, or empty if another owner holds the resource
	 * @throws LockAcquisitionException if too few nodes answered to decide: an outage is not
	 * reported as "held by someone else"
	 */
	public Optional<Lock> tryAcquire(String resource, Duration ttl) {
		return tryAcquire(List.of(resource), ttl, LockOptions.defaults());
	}

	/** {@link #tryAcquire(String, Duration)} with per-call options; their retry settings do not apply. */
	public Optional<Lock> tryAcquire(String resource, Duration ttl, LockOptions options) {
		return tryAcquire(List.of(resource), ttl, options);
	}

	/** {@link #tryAcquire(String, Duration)} for several resources, all or none. */
	public Optional<Lock> tryAcquire(List<String> resources, Duration ttl) {
		return tryAcquire(resources, ttl, LockOptions.defaults());
	}

	/** {@link #tryAcquire(List, Duration)} with per-call options; their retry settings do not apply. */
	public Optional<Lock> tryAcquire(List<String> resources, Duration ttl, LockOptions options) {
		try {
			return Optional.of(Futures.await(start(resources, ttl, options, true), Lock::releaseAsync,
					"acquiring a lock on " + resources));
		}
		catch (LockAcquisitionException ex) {
			if (ex.isHeldByAnotherOwner()) {
				return Optional.empty();
			}
			throw ex;
		}
	}

	/** {@link #tryAcquire(String, Duration)} without blocking. */
	public CompletionStage<Optional<Lock>> tryAcquireAsync(String resource, Duration ttl) {
		return tryAcquireAsync(List.of(resource), ttl, LockOptions.defaults());
	}

	/** {@link #tryAcquire(String, Duration, LockOptions)} without blocking. */
	public CompletionStage<Optional<Lock>> tryAcquireAsync(String resource, Duration ttl, LockOptions options) {
		return tryAcquireAsync(List.of(resource), ttl, options);
	}

	/** {@link #tryAcquire(List, Duration)} without blocking. */
	public CompletionStage<Optional<Lock>> tryAcquireAsync(List<String> resources, Duration ttl) {
		return tryAcquireAsync(resources, ttl, LockOptions.defaults());
	}

	/** {@link #tryAcquire(List, Duration, LockOptions)} without blocking. */
	public CompletionStage<Optional<Lock>> tryAcquireAsync(List<String> resources, Duration ttl, LockOptions options) {
		CompletableFuture<Lock> acquisition = start(resources, ttl, options, true);
		return this.service.deliver(acquisition, acquisition.handle(LockedWork::heldMeansEmpty),
				(lock) -> lock.ifPresent(Lock::releaseAsync));
	}

	/**
	 * Runs {@code task} while holding a lock that is extended automatically, and releases it
	 * afterwards, also when the task throws. If an extension fails, the task keeps running:
	 * the handle tells it ({@link LockHandle#isHeld()}, {@link LockHandle#onLost},
	 * {@link LockHandle#check()}), and it should check before committing work the lock
	 * protects.
	 * @return what the task returned
	 * @throws E what the task threw, untouched
	 * @throws LockAcquisitionException if the lock could not be acquired
	 */
	public <T, E extends Exception> T using(List<String> resources, Duration ttl, LockedTask<T, E> task) throws E {
		return using(resources, ttl, LockOptions.defaults(), task);
	}

	/** {@link #using(List, Duration, LockedTask)} with per-call options. */
	public <T, E extends Exception> T using(List<String> resources, Duration ttl, LockOptions options,
			LockedTask<T, E> task) throws E {
		try (Lock lock = acquire(resources, ttl, options)) {
			return task.run(lock.autoExtend());
		}
	}

	/** {@link #using(List, Duration, LockedTask)} on one resource. */
	public <T, E extends Exception> T using(String resource, Duration ttl, LockedTask<T, E> task) throws E {
		return using(List.of(resource), ttl, LockOptions.defaults(), task);
	}

	/** {@link #using(List, Duration, LockOptions, LockedTask)} on one resource. */
	public <T, E extends Exception> T using(String resource, Duration ttl, LockOptions options, LockedTask<T, E> task)
			throws E {
		return using(List.of(resource), ttl, options, task);
	}

	/**
	 * {@link #using(List, Duration, LockedTask)} for asynchronous work: the lock is held,
	 * and extended, until the stage the task returns completes. The task starts on the
	 * callback executor.
	 */
	public <T> CompletionStage<T> usingAsync(List<String> resources, Duration ttl,
			Function<? super LockHandle, ? extends CompletionStage<T>> task) {
		return usingAsync(resources, ttl, LockOptions.defaults(), task);
	}

	/** {@link #usingAsync(List, Duration, Function)} on one resource. */
	public <T> CompletionStage<T> usingAsync(String resource, Duration ttl,
			Function<? super LockHandle, ? extends CompletionStage<T>> task) {
		return usingAsync(List.of(resource), ttl, LockOptions.defaults(), task);
	}

	/** {@link #usingAsync(List, Duration, Function)} on one resource, with per-call options. */
	public <T> CompletionStage<T> usingAsync(String resource, Duration ttl, LockOptions options,
			Function<? super LockHandle, ? extends CompletionStage<T>> task) {
		return usingAsync(List.of(resource), ttl, options, task);
	}

	/** {@link #usingAsync(List, Duration, Function)} with per-call options. */
	public <T> CompletionStage<T> usingAsync(List<String> resources, Duration ttl, LockOptions options,
			Function<? super LockHandle, ? extends CompletionStage<T>> task) {
		CompletableFuture<Lock> acquisition = start(resources, ttl, options, false);
		return this.service.deliver(acquisition, LockedWork.whileHolding(acquisition, task, this.service::execute), (result) -> {
		});
	}

	/**
	 * Pings every node at once, for health checks: one vote per node, in configured order,
	 * {@link NodeVote.Vote#GRANTED} for a node that answered within the command timeout.
	 * Never fails: an unreachable node is a {@link NodeVote.Vote#FAILED} vote with its error.
	 */
	public CompletionStage<List<NodeVote>> ping() {
		CompletableFuture<List<NodeVote>> ping = this.service.ping();
		return this.service.deliver(ping, ping, (votes) -> {
		});
	}

	/**
	 * The current fencing counter of {@code resource}, for auditing: the largest value on the
	 * nodes, read from at least a quorum, so at least the last token handed out for it. Takes
	 * no lock. It is 0 if no token was handed out, or if every node that answered lost the
	 * counter (it expires 24 hours after the last token, and a node restarted empty has none);
	 * the next token is still larger than the earlier ones, under the assumptions of
	 * {@link LockHandle#fencingToken()}.
	 * @throws RedlockException if fewer than a quorum of nodes answered
	 */
	public long fencingCounter(String resource) {
		return Futures.await(this.service.fencingCounter(resource), "reading the fencing counter of '" + resource + "'");
	}

	/**
	 * The Redis key of {@code resource}'s fencing counter on every node: {@code redlock:fence:},
	 * then a hash tag with the resource's Redis Cluster slot, then the resource unless the tag
	 * is the whole resource. For example {@code redlock:fence:{locks:account:1}} and
	 * {@code redlock:fence:{user:7}locks:{user:7}:cart}. Resources may not start with
	 * {@code redlock:fence:}.
	 *
	 * <p>
	 * The value is a decimal number of microseconds, set to expire 24 hours after each token
	 * (see {@link #fencingCounter}). Deleting the key by hand is like losing it to an empty
	 * restart at that moment: safe only while the clocks agree to within the time since the
	 * last token.
	 */
	public static String fencingCounterKey(String resource) {
		return FenceKeys.of(Validation.resources(List.of(resource)).get(0));
	}

	/** The number of nodes that must agree: N/2+1. */
	public int quorum() {
		return this.service.quorum();
	}

	/** The nodes, as shown in logs: addresses without credentials. */
	public List<String> nodes() {
		return this.service.nodeNames();
	}

	/**
	 * Closes the connections and client resources this Redlock created, within the command
	 * timeout plus a second whatever state the nodes are in. Locks still held are not
	 * released: they expire with their ttl, and those extended automatically are reported
	 * lost to their holders. Acquisitions under way fail, and so does any call made after.
	 */
	@Override
	public void close() {
		this.service.close();
	}

	private CompletableFuture<Lock> start(List<String> resources, Duration ttl, LockOptions options, boolean oneAttempt) {
		return this.service.acquire(resources, ttl, Objects.requireNonNull(options, "options must not be null"),
				oneAttempt);
	}

	@Override
	public String toString() {
		return "Redlock" + nodes() + " (quorum " + quorum() + ")";
	}

}
