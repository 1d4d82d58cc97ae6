package dev.redlock.spring.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.core.NamedThreadLocal;

/**
 * The locks the current thread holds: those of the locked calls running on it, innermost
 * first, and those kept until the completion of the transaction the thread runs.
 */
public final class HeldLocks {

	private static final ThreadLocal<Deque<HeldLock>> running = new NamedThreadLocal<>("Redlock running locks");

	private static final ThreadLocal<List<HeldLock>> untilCompletion = new NamedThreadLocal<>(
			"Redlock locks held until transaction completion");

	private HeldLocks() {
	}

	/** The lock of the innermost locked call running on this thread, or {@code null}. */
	public static HeldLock innermost() {
		Deque<HeldLock> stack = running.get();
		return (stack != null) ? stack.peek() : null;
	}

	/** Every lock this thread holds, innermost call first, then those kept for its transaction. */
	public static List<HeldLock> all() {
		List<HeldLock> all = new ArrayList<>();
		Deque<HeldLock> stack = running.get();
		if (stack != null) {
			all.addAll(stack);
		}
		List<HeldLock> kept = untilCompletion.get();
		if (kept != null) {
			all.addAll(kept);
		}
		return all;
	}

	/**
	 * The lock this thread already holds on every one of {@code keys}, which a nested call
	 * joins instead of deadlocking on itself.
	 * @return the lock, or {@code null} if no held lock has any of the keys
	 * @throws IllegalStateException if held locks have some of the keys but not all: the
	 * nested lock could never be acquired
	 */
	public static HeldLock enclosing(List<String> keys) {
		List<HeldLock> all = all();
		for (HeldLock outer : all) {
			if (outer.covers(keys)) {
				return outer;
			}
		}
		for (HeldLock outer : all) {
			for (String key : keys) {
				if (outer.keys().contains(key)) {
					throw new IllegalStateException("Cannot lock " + keys + ": '" + key + "' is already locked on this "
							+ "thread by " + outer.description() + ", which holds " + outer.keys() + " but not all of "
							+ keys + ", and a lock is acquired all or nothing; lock all of " + keys
							+ " in the enclosing call");
				}
			}
		}
		return null;
	}

	/** Marks {@code held} as the thread's innermost lock until the matching {@link #pop()}. */
	public static void push(HeldLock held) {
		Deque<HeldLock> stack = running.get();
		if (stack == null) {
			stack = new ArrayDeque<>();
			running.set(stack);
		}
		stack.push(held);
	}

	/** Ends the innermost {@link #push}; the thread keeps nothing once the outermost ends. */
	public static void pop() {
		Deque<HeldLock> stack = running.get();
		if (stack != null) {
			stack.pop();
			if (stack.isEmpty()) {
				running.remove();
			}
		}
	}

	/**
	 * Keeps {@code held} as held by this thread until its transaction completes.
	 * @return the list to remove it from then, which may happen on another thread
	 */
	static List<HeldLock> keepUntilCompletion(HeldLock held) {
		List<HeldLock> kept = untilCompletion.get();
		if (kept == null) {
			kept = new CopyOnWriteArrayList<>();
			untilCompletion.set(kept);
		}
		kept.add(held);
		return kept;
	}

	/** Forgets the locks kept for a transaction that completed on this thread. */
	static void forgetCompleted() {
		List<HeldLock> kept = untilCompletion.get();
		if (kept != null && kept.isEmpty()) {
			untilCompletion.remove();
		}
	}

}
