package dev.redlock.spring;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

import dev.redlock.LockHandle;

import org.springframework.core.NamedThreadLocal;

/**
 * The locks held by {@link DistributedLock @DistributedLock} methods running on the current
 * thread.
 *
 * <pre>{@code
 * @DistributedLock(key = "'ledger:' + #day")
 * public void closeDay(LocalDate day) {
 *     Ledger ledger = compute(day);
 *     // The lock may have been lost while computing: do not write after someone else took over.
 *     DistributedLocks.currentLock().ifPresent(LockHandle::throwIfLost);
 *     save(ledger);
 * }
 *
 * @DistributedLock(key = "'account:' + #id")
 * public void credit(long id, long cents) {
 *     // The row refuses the write of a holder that paused past its ttl while another took over.
 *     jdbc.update("UPDATE account SET balance = balance + ?, fence = ? WHERE id = ? AND fence < ?",
 *             cents, DistributedLocks.fencingToken(), id, DistributedLocks.fencingToken());
 * }
 * }</pre>
 */
public final class DistributedLocks {

	private static final ThreadLocal<Deque<Held>> held = new NamedThreadLocal<>("Redlock distributed locks");

	private DistributedLocks() {
	}

	/**
	 * The lock of the innermost {@code @DistributedLock} method running on this thread, for
	 * the synchronous part of its call: it tells whether the lock is still held
	 * ({@link LockHandle#isHeld()}) and throws if it was lost ({@link LockHandle#throwIfLost()}).
	 * Empty outside such a method, and in reactive pipelines, which find the handle in the
	 * Reactor context under the key {@code LockHandle.class}.
	 */
	public static Optional<LockHandle> currentLock() {
		Deque<Held> stack = held.get();
		return (stack != null) ? Optional.of(stack.peek().handle()) : Optional.empty();
	}

	/**
	 * The fencing token of the innermost {@code @DistributedLock} method's lock on this thread:
	 * pass it with the writes the lock protects, so the store can refuse a stale holder's
	 * (see {@link LockHandle#fencingToken()}). The first call asks the nodes (two round trips);
	 * a method that never calls it pays nothing. For a lock on several keys, call
	 * {@code currentLock().orElseThrow().fencingToken(redisKey)}, the key with its
	 * {@code redlock.key-prefix}.
	 * @throws IllegalStateException outside a {@code @DistributedLock} method, or if its lock
	 * holds several keys
	 * @throws dev.redlock.RedlockException if the lock is lost, or a quorum of nodes could not
	 * confirm the token
	 */
	public static long fencingToken() {
		return currentLock().orElseThrow(() -> new IllegalStateException(
				"No @DistributedLock method is running on this thread, so there is no fencing token; call "
						+ "DistributedLocks.fencingToken() from the annotated method itself (in reactive pipelines, "
						+ "read LockHandle.class from the Reactor context)"))
			.fencingToken();
	}

	/**
	 * The lock of an enclosing call on this thread that already holds every one of
	 * {@code keys}, which a nested call joins instead of deadlocking on itself.
	 * @return the enclosing lock, or {@code null} if no enclosing call holds any of the keys
	 * @throws IllegalStateException if enclosing calls hold some of the keys but not all: the
	 * nested lock could never be acquired
	 */
	static LockHandle enclosing(List<String> keys) {
		Deque<Held> stack = held.get();
		if (stack == null) {
			return null;
		}
		for (Held outer : stack) {
			if (outer.keys().containsAll(keys)) {
				return outer.handle();
			}
		}
		for (Held outer : stack) {
			for (String key : keys) {
				if (outer.keys().contains(key)) {
					throw new IllegalStateException("Cannot lock " + keys + ": '" + key + "' is already locked by an "
							+ "enclosing @DistributedLock call on this thread, which holds " + outer.keys()
							+ " but not all of " + keys + ", and a lock is acquired all or nothing; lock all of "
							+ keys + " in the enclosing call");
				}
			}
		}
		return null;
	}

	/** Marks {@code keys} as held by this thread until the matching {@link #pop()}. */
	static void push(List<String> keys, LockHandle handle) {
		Deque<Held> stack = held.get();
		if (stack == null) {
			stack = new ArrayDeque<>();
			held.set(stack);
		}
		stack.push(new Held(keys, handle));
	}

	/** Ends the innermost {@link #push}; the thread keeps nothing once the outermost ends. */
	static void pop() {
		Deque<Held> stack = held.get();
		if (stack != null) {
			stack.pop();
			if (stack.isEmpty()) {
				held.remove();
			}
		}
	}

	private record Held(List<String> keys, LockHandle handle) {
	}

}
