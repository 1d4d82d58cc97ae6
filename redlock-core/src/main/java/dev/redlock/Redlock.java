package dev.redlock;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import dev.redlock.internal.Cluster;
import dev.redlock.internal.Futures;
import dev.redlock.internal.Settings;
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
 * names are used as Redis keys exactly as given. Synchronous methods block only the caller;
 * the {@code Async} variants block nothing.
 */
public final class Redlock implements AutoCloseable {

	private final Cluster cluster;

	Redlock(Cluster cluster) {
		this.cluster = cluster;
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
		return acquire(List.of(resource), ttl);
	}

	/**
	 * Acquires one lock on several resources: on every node, all are set or none is.
	 * @throws LockAcquisitionException if it could not be acquired in the retries or time allowed
	 */
	public Lock acquire(List<String> resources, Duration ttl) {
		return Futures.await(acquireAsync(resources, ttl), "acquiring a lock on " + resources);
	}

	/**
	 * Acquires a lock, trying for at most {@code maxWait} whatever the retry count; a zero
	 * {@code maxWait} makes exactly one attempt.
	 * @throws LockAcquisitionException if it could not be acquired in time
	 */
	public Lock acquire(List<String> resources, Duration ttl, Duration maxWait) {
		return Futures.await(acquireAsync(resources, ttl, maxWait), "acquiring a lock on " + resources);
	}

	/** {@link #acquire(String, Duration)} without blocking. */
	public CompletionStage<Lock> acquireAsync(String resource, Duration ttl) {
		return acquireAsync(List.of(resource), ttl);
	}

	/** {@link #acquire(List, Duration)} without blocking. */
	public CompletionStage<Lock> acquireAsync(List<String> resources, Duration ttl) {
		Settings settings = this.cluster.settings();
		return start(resources, ttl, settings.retryCount(), settings.waitTime());
	}

	/** {@link #acquire(List, Duration, Duration)} without blocking. */
	public CompletionStage<Lock> acquireAsync(List<String> resources, Duration ttl, Duration maxWait) {
		return start(resources, ttl, -1, Validation.maxWait(maxWait));
	}

	/**
	 * Makes exactly one attempt.
	 * @return the lock, or empty if another owner holds the resource
	 * @throws LockAcquisitionException if too few nodes answered to decide: an outage is not
	 * reported as "held by someone else"
	 */
	public Optional<Lock> tryAcquire(String resource, Duration ttl) {
		return tryAcquire(List.of(resource), ttl);
	}

	/** {@link #tryAcquire(String, Duration)} for several resources, all or none. */
	public Optional<Lock> tryAcquire(List<String> resources, Duration ttl) {
		return Futures.await(tryAcquireAsync(resources, ttl), "acquiring a lock on " + resources);
	}

	/** {@link #tryAcquire(List, Duration)} without blocking. */
	public CompletionStage<Optional<Lock>> tryAcquireAsync(List<String> resources, Duration ttl) {
		return start(resources, ttl, 0, null).handle((lock, ex) -> {
			if (ex == null) {
				return Optional.of(lock);
			}
			Throwable cause = (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
			if (cause instanceof LockAcquisitionException failure && failure.isHeldByAnotherOwner()) {
				return Optional.empty();
			}
			throw (ex instanceof CompletionException completion) ? completion : new CompletionException(cause);
		});
	}

	/**
	 * Runs {@code task} while holding a lock that is extended automatically, and releases it
	 * afterwards, also when the task throws. If an extension fails, the task keeps running:
	 * the handle tells it ({@link LockHandle#isHeld()}, {@link LockHandle#onLost}), and it
	 * should check before committing work the lock protects.
	 * @return what the task returned
	 * @throws E what the task threw, untouched
	 * @throws LockAcquisitionException if the lock could not be acquired
	 */
	public <T, E extends Exception> T using(List<String> resources, Duration ttl, LockedTask<T, E> task) throws E {
		try (Lock lock = acquire(resources, ttl)) {
			return task.run(lock.autoExtend());
		}
	}

	/** {@link #using(List, Duration, LockedTask)} on one resource. */
	public <T, E extends Exception> T using(String resource, Duration ttl, LockedTask<T, E> task) throws E {
		return using(List.of(resource), ttl, task);
	}

	/**
	 * {@link #using(List, Duration, LockedTask)} for asynchronous work: the lock is held,
	 * and extended, until the stage the task returns completes.
	 */
	public <T> CompletionStage<T> usingAsync(List<String> resources, Duration ttl,
			Function<? super LockHandle, ? extends CompletionStage<T>> task) {
		return acquireAsync(resources, ttl).thenCompose((lock) -> {
			CompletionStage<T> work;
			try {
				work = task.apply(lock.autoExtend());
			}
			catch (RuntimeException | Error ex) {
				work = CompletableFuture.failedFuture(ex);
			}
			return work.handle((result, ex) -> lock.releaseAsync().handle((released, releaseError) -> {
				if (ex != null) {
					throw (ex instanceof CompletionException completion) ? completion : new CompletionException(ex);
				}
				return result;
			})).thenCompose(Function.identity());
		});
	}

	/**
	 * Pings every node at once, for health checks: one vote per node, in configured order,
	 * {@link NodeVote.Vote#GRANTED} for a node that answered within the command timeout.
	 * Never fails: an unreachable node is a {@link NodeVote.Vote#FAILED} vote with its error.
	 */
	public CompletionStage<List<NodeVote>> ping() {
		return this.cluster.ping();
	}

	/** The number of nodes that must agree: N/2+1. */
	public int quorum() {
		return this.cluster.quorum();
	}

	/** The nodes, as shown in logs: addresses without credentials. */
	public List<String> nodes() {
		return this.cluster.nodeNames();
	}

	/**
	 * Closes the connections and client resources this Redlock created. Locks still held are
	 * not released: they expire with their ttl.
	 */
	@Override
	public void close() {
		this.cluster.close();
	}

	private CompletableFuture<Lock> start(List<String> resources, Duration ttl, int retryCount, Duration maxWait) {
		List<String> checked = Validation.resources(resources);
		Duration checkedTtl = Validation.ttl(ttl, this.cluster.settings());
		return this.cluster.acquire(checked, checkedTtl, retryCount, maxWait);
	}

	@Override
	public String toString() {
		return "Redlock" + nodes() + " (quorum " + quorum() + ")";
	}

}
