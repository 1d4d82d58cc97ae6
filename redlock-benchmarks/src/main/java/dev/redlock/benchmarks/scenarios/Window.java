package dev.redlock.benchmarks.scenarios;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import dev.redlock.benchmarks.measure.CommandStats;

/**
 * The timeline of one run: threads start, settle for a while, then a measured window opens
 * and closes. Only what completes inside the window counts, and the nodes' command counters
 * are read at its edges.
 */
final class Window {

	private final long opensAt;

	private final long closesAt;

	private volatile boolean stopped;

	Window(Duration settle, Duration measure) {
		this.opensAt = System.nanoTime() + settle.toNanos();
		this.closesAt = this.opensAt + measure.toNanos();
	}

	private Window(long opensAt, long closesAt) {
		this.opensAt = opensAt;
		this.closesAt = closesAt;
	}

	/**
	 * A window another JVM on this host opened: {@link System#nanoTime()} reads
	 * CLOCK_MONOTONIC on Linux, one clock for every process, so its bounds mean the same here.
	 */
	static Window between(long opensAt, long closesAt) {
		return new Window(opensAt, closesAt);
	}

	boolean contains(long nanoTime) {
		return nanoTime >= this.opensAt && nanoTime <= this.closesAt;
	}

	/** Set once the window closed: workers finish what they are doing and stop. */
	boolean stopped() {
		return this.stopped;
	}

	long opensAt() {
		return this.opensAt;
	}

	long closesAt() {
		return this.closesAt;
	}

	double seconds() {
		return (this.closesAt - this.opensAt) / 1e9;
	}

	/**
	 * Sleeps through the window, reading the command counters at both edges, then tells the
	 * workers to stop.
	 * @return the commands the nodes executed inside the window
	 */
	Map<String, Long> await(CommandStats commandStats) {
		sleepUntil(this.opensAt);
		Map<String, Long> before = commandStats.snapshot();
		sleepUntil(this.closesAt);
		Map<String, Long> after = commandStats.snapshot();
		this.stopped = true;
		return CommandStats.delta(before, after);
	}

	/** Sleeps until the window closes, then tells the workers to stop: for a JVM that does not count commands. */
	void awaitClose() {
		sleepUntil(this.closesAt);
		this.stopped = true;
	}

	private static void sleepUntil(long nanoTime) {
		for (long left = nanoTime - System.nanoTime(); left > 0; left = nanoTime - System.nanoTime()) {
			LockSupport.parkNanos(left);
		}
	}

}
