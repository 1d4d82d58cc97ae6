package dev.redlock.benchmarks.scenarios;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import dev.redlock.benchmarks.measure.CommandStats;
import dev.redlock.benchmarks.measure.CpuTime;

/**
 * The timeline of one run: threads start, settle for a while, then a measured window opens
 * and closes. Only what completes inside the window counts, and the nodes' command counters
 * are read at its edges.
 */
final class Window {

	private final long opensAt;

	private final long closesAt;

	private volatile boolean stopped;

	/** Set by {@link #await}: what the nodes and this JVM spent inside the window. */
	private volatile CpuTime cpu;

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
		CpuTime cpuBefore = new CpuTime(commandStats.cpuMicros(), CpuTime.processMicros());
		sleepUntil(this.closesAt);
		CpuTime cpuAfter = new CpuTime(commandStats.cpuMicros(), CpuTime.processMicros());
		Map<String, Long> after = commandStats.snapshot();
		this.stopped = true;
		CpuTime spent = cpuAfter.minus(cpuBefore);
		// The nodes' housekeeping is nobody's lock: leave out what they spend idle.
		this.cpu = new CpuTime(spent.nodeMicros() - commandStats.idleMicrosPerSecond() * seconds(),
				spent.clientMicros());
		return CommandStats.delta(before, after);
	}

	/** CPU spent inside the window, once {@link #await} returned; {@code null} before. */
	CpuTime cpu() {
		return this.cpu;
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
