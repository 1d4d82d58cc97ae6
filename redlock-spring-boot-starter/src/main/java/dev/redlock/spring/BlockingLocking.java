package dev.redlock.spring;

import java.util.List;
import java.util.function.Consumer;

import dev.redlock.Lock;
import dev.redlock.RedlockException;
import dev.redlock.spring.DistributedLockSupport.Invocation;
import dev.redlock.spring.internal.HeldLock;

/**
 * Locking for methods whose result is a plain value or an {@code Optional}: the lock is held
 * on the calling thread while the method runs, and released when it returns or throws, or,
 * inside a transaction that began outside the call, once that transaction completes.
 */
final class BlockingLocking {

	private BlockingLocking() {
	}

	/**
	 * Joins the thread's lock on the keys or acquires one, runs the method, and releases.
	 * @return what the method returned, or, for a skipped call, the empty value of its type
	 */
	static Object hold(LockLifecycle locking, LockOperation operation, List<String> keys, Object target,
			Invocation invocation) throws Throwable {
		HeldLock enclosing = locking.join(operation, keys);
		if (enclosing != null) {
			return LockLifecycle.proceedHolding(enclosing, invocation);
		}
		Lock lock = locking.acquire(operation, keys);
		if (lock == null) {
			return operation.skippedValue();
		}
		HeldLock held = new HeldLock(keys, lock, operation.ttl(), operation.description());
		boolean releaseHere = true;
		Interrupter interrupter = null;
		try {
			locking.watch(operation, keys, target, lock);
			if (operation.onLost() == OnLost.INTERRUPT) {
				interrupter = new Interrupter(Thread.currentThread());
				lock.onLost(interrupter);
			}
			releaseHere = !locking.leaveToTransaction(held);
			return LockLifecycle.proceedHolding(held, invocation);
		}
		finally {
			if (interrupter != null) {
				interrupter.done();
			}
			if (releaseHere) {
				LockLifecycle.release(lock);
			}
		}
	}

	/**
	 * Interrupts the thread of a blocking call on loss, but only while that call runs: the
	 * loss may be found after the call returned, when the thread runs other work.
	 */
	private static final class Interrupter implements Consumer<RedlockException> {

		private final Thread thread;

		private boolean running = true;

		Interrupter(Thread thread) {
			this.thread = thread;
		}

		@Override
		public synchronized void accept(RedlockException cause) {
			if (this.running) {
				this.thread.interrupt();
			}
		}

		synchronized void done() {
			this.running = false;
		}

	}

}
