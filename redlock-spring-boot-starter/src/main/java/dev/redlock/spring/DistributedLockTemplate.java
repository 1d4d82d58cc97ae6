package dev.redlock.spring;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import dev.redlock.LockHandle;

/**
 * The programmatic twin of {@link DistributedLock @DistributedLock}, for code that cannot use
 * the annotation (a lambda, a key known only inside a method, a class that is not a bean). It
 * shares the annotation's {@link DistributedLockSupport}, so the key prefix, the defaults,
 * reentrancy on the same thread, lost-lock events and policy, and the transaction behaviour
 * are the same.
 *
 * <pre>{@code
 * Receipt receipt = template.execute("account:" + id, Duration.ofSeconds(10), () -> transfer(id, amount));
 * Optional<Report> report = template.tryExecute("nightly-report", Duration.ofMinutes(5), this::buildReport);
 * }</pre>
 *
 * <p>Every method also takes a {@link DistributedLockCallback}, which receives the held lock:
 * for its fencing token, or to check that it is still held before committing.
 *
 * <pre>{@code
 * template.execute("account:" + id, Duration.ofSeconds(10), (lock) ->
 *     jdbc.update("UPDATE account SET balance = ?, fence = ? WHERE id = ? AND fence < ?",
 *             balance, lock.fencingToken(), id, lock.fencingToken()));
 * }</pre>
 *
 * <p>Unlike {@link dev.redlock.Redlock}, which locks exactly the names it is given, every key
 * here is put after {@code redlock.key-prefix}.
 */
public final class DistributedLockTemplate {

	private final DistributedLockSupport support;

	/**
	 * @param support does the locking, as for the annotation
	 */
	public DistributedLockTemplate(DistributedLockSupport support) {
		this.support = Objects.requireNonNull(support, "support must not be null");
	}

	/**
	 * Runs {@code work} under a lock on {@code key}, waiting up to {@code redlock.default-wait-time}.
	 * @return what {@code work} returned
	 * @throws dev.redlock.LockAcquisitionException if the lock could not be acquired in time
	 */
	public <T> T execute(String key, Duration ttl, Supplier<T> work) {
		return execute(key, ttl, callback(work));
	}

	/**
	 * Runs {@code work} under a lock on {@code key}, waiting up to {@code redlock.default-wait-time},
	 * and hands it the held lock.
	 * @return what {@code work} returned
	 * @throws dev.redlock.LockAcquisitionException if the lock could not be acquired in time
	 */
	public <T> T execute(String key, Duration ttl, DistributedLockCallback<T> work) {
		return execute(DistributedLockOptions.keys(key).withTtl(ttl), work);
	}

	/**
	 * Runs {@code work} under the lock the options describe.
	 * @return what {@code work} returned
	 * @throws dev.redlock.LockAcquisitionException if the lock could not be acquired in time
	 */
	public <T> T execute(DistributedLockOptions options, Supplier<T> work) {
		return execute(options, callback(work));
	}

	/**
	 * Runs {@code work} under the lock the options describe, and hands it the held lock.
	 * @return what {@code work} returned
	 * @throws dev.redlock.LockAcquisitionException if the lock could not be acquired in time
	 */
	@SuppressWarnings("unchecked")
	public <T> T execute(DistributedLockOptions options, DistributedLockCallback<T> work) {
		Objects.requireNonNull(work, "work must not be null");
		return (T) run(options, IfLocked.FAIL, () -> work.doWithLock(heldLock()));
	}

	/**
	 * Runs {@code work} under a lock on {@code key} if it can be acquired in exactly one
	 * attempt, like {@link dev.redlock.Redlock#tryAcquire}.
	 * @return what {@code work} returned, or empty if another owner holds the lock (or
	 * {@code work} returned {@code null})
	 * @throws dev.redlock.LockAcquisitionException if too few nodes answered: an outage is
	 * never taken for someone else holding the lock
	 */
	public <T> Optional<T> tryExecute(String key, Duration ttl, Supplier<T> work) {
		return tryExecute(key, ttl, callback(work));
	}

	/**
	 * Runs {@code work} under a lock on {@code key} if it can be acquired in exactly one
	 * attempt, and hands it the held lock.
	 * @return what {@code work} returned, or empty if another owner holds the lock (or
	 * {@code work} returned {@code null})
	 * @throws dev.redlock.LockAcquisitionException if too few nodes answered: an outage is
	 * never taken for someone else holding the lock
	 */
	public <T> Optional<T> tryExecute(String key, Duration ttl, DistributedLockCallback<T> work) {
		return tryExecute(DistributedLockOptions.keys(key).withTtl(ttl).withWaitTime(Duration.ZERO), work);
	}

	/**
	 * Runs {@code work} under the lock the options describe if it can be acquired within their
	 * wait time.
	 * @return what {@code work} returned, or empty if another owner still holds the lock (or
	 * {@code work} returned {@code null})
	 */
	public <T> Optional<T> tryExecute(DistributedLockOptions options, Supplier<T> work) {
		return tryExecute(options, callback(work));
	}

	/**
	 * Runs {@code work} under the lock the options describe if it can be acquired within their
	 * wait time, and hands it the held lock.
	 * @return what {@code work} returned, or empty if another owner still holds the lock (or
	 * {@code work} returned {@code null})
	 */
	@SuppressWarnings("unchecked")
	public <T> Optional<T> tryExecute(DistributedLockOptions options, DistributedLockCallback<T> work) {
		Objects.requireNonNull(work, "work must not be null");
		Object result = run(options, IfLocked.SKIP, () -> Optional.ofNullable(work.doWithLock(heldLock())));
		return (result != null) ? (Optional<T>) result : Optional.empty();
	}

	private static <T> DistributedLockCallback<T> callback(Supplier<T> work) {
		Objects.requireNonNull(work, "work must not be null");
		return (lock) -> work.get();
	}

	/**
	 * The lock the support holds for the running call: its own, or the enclosing one it
	 * joined. Read inside the invocation, where the support has made it the thread's current.
	 */
	private static LockHandle heldLock() {
		return DistributedLocks.currentLock()
			.orElseThrow(() -> new IllegalStateException("A template call runs without its lock"));
	}

	private Object run(DistributedLockOptions options, IfLocked ifLocked, DistributedLockSupport.Invocation work) {
		Objects.requireNonNull(options, "options must not be null");
		DistributedLockOperationSource operationSource = this.support.operationSource();
		LockOperation operation = operationSource.programmatic(options, ifLocked);
		List<String> keys = operationSource.prefixed(options.getKeys());
		try {
			return this.support.invoke(operation, keys, null, work);
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			// Neither a Supplier nor a callback throws a checked exception: only a sneaky throw gets here.
			throw new IllegalStateException(ex);
		}
	}

}
