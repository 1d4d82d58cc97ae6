package dev.redlock.benchmarks.scenarios;

import dev.redlock.benchmarks.measure.ContentionOutcome;
import dev.redlock.benchmarks.measure.Latencies;
import org.HdrHistogram.Histogram;

/**
 * Who held the contended lock when, written by the holder inside its critical section. The
 * monitor is never contended while the lock works, and it makes a broken lock visible: an
 * acquisition while another worker still holds the lock counts as an overlap.
 */
final class HandoffLedger implements ContendedLoop.Recorder {

	private static final int NOBODY = -1;

	private final Window window;

	private final Histogram waits = Latencies.newHistogram();

	private final Histogram handoffs = Latencies.newHistogram();

	private int holder = NOBODY;

	private int lastHolder = NOBODY;

	private long lastReleaseAt;

	private long acquisitions;

	private long reacquired;

	private long timeouts;

	private long overlaps;

	/** Acquisitions inside the window, by worker: fairness. */
	private final long[] perWorker;

	HandoffLedger(Window window, int workers) {
		this.window = window;
		this.perWorker = new long[workers];
	}

	@Override
	public synchronized void acquired(int worker, long askedAt, long acquiredAt) {
		if (this.holder != NOBODY) {
			this.overlaps++;
		}
		this.holder = worker;
		if (this.window.contains(acquiredAt)) {
			this.acquisitions++;
			this.perWorker[worker]++;
			this.waits.recordValue(acquiredAt - askedAt);
			if (this.lastHolder == worker) {
				this.reacquired++;
			}
			else if (this.lastHolder != NOBODY && askedAt <= this.lastReleaseAt) {
				// The worker was already waiting when the lock was let go: a handoff.
				this.handoffs.recordValue(acquiredAt - this.lastReleaseAt);
			}
		}
		this.lastHolder = worker;
	}

	@Override
	public synchronized void releasing(int worker, long at) {
		if (this.holder == worker) {
			this.holder = NOBODY;
		}
		this.lastReleaseAt = at;
	}

	/** A wait that gave up; those cut short by the end of the window are not timeouts. */
	@Override
	public synchronized void timedOut(int worker, long at) {
		if (this.window.contains(at) && at < this.window.closesAt()) {
			this.timeouts++;
		}
	}

	synchronized long acquisitions() {
		return this.acquisitions;
	}

	synchronized Histogram waits() {
		return this.waits.copy();
	}

	synchronized ContentionOutcome outcome() {
		long fewest = java.util.Arrays.stream(this.perWorker).min().orElse(0);
		long most = java.util.Arrays.stream(this.perWorker).max().orElse(0);
		return new ContentionOutcome(this.handoffs.copy(), this.reacquired, this.timeouts, this.overlaps, fewest, most);
	}

}
