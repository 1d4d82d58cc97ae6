package dev.redlock;

/**
 * Work to run while a lock is held; see {@link Redlock#using}.
 *
 * @param <T> the result
 * @param <E> what the work may throw; inferred, so a task that throws nothing checked
 * needs no try/catch around {@code using}
 */
@FunctionalInterface
public interface LockedTask<T, E extends Exception> {

	T run(LockHandle lock) throws E;

}
