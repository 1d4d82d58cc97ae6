package dev.redlock.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs the events of one state machine one at a time, in the order they were submitted, on
 * whichever thread submits them: a reply on an I/O thread, a timer, a release notification.
 * An event submitted while another runs, also from inside it, is queued and run by the thread
 * already running, right after; so handlers never run twice at once nor re-enter each other,
 * and the state they touch needs no lock. No thread is handed off to: an uncontended event
 * runs at once on the thread that delivered it.
 */
final class SerialEvents {

	private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();

	private final AtomicInteger pending = new AtomicInteger();

	private final Consumer<Throwable> onFailure;

	/** @param onFailure told of anything an event throws, before the next event runs */
	SerialEvents(Consumer<Throwable> onFailure) {
		this.onFailure = onFailure;
	}

	void run(Runnable event) {
		this.queue.add(event);
		if (this.pending.getAndIncrement() != 0) {
			return;
		}
		do {
			try {
				this.queue.poll().run();
			}
			catch (Throwable ex) {
				this.onFailure.accept(ex);
			}
		}
		while (this.pending.decrementAndGet() != 0);
	}

}
