package dev.redlock.benchmarks.measure;

import java.util.Map;

import org.HdrHistogram.Histogram;

/**
 * What one measured run of one contender gave.
 *
 * @param latency per-operation latency: acquire plus release, or under contention the wait
 * to acquire
 * @param operations operations completed inside the measured window
 * @param seconds the window's length
 * @param commands commands the nodes executed during the window, per name
 * @param contention the contended scenario's extra observations, or {@code null}
 * @param cpu CPU the nodes and this JVM spent during the window, or {@code null} where the
 * scenario does not read it
 */
public record RunOutcome(Histogram latency, long operations, double seconds, Map<String, Long> commands,
		ContentionOutcome contention, CpuTime cpu) {

	public RunOutcome(Histogram latency, long operations, double seconds, Map<String, Long> commands,
			ContentionOutcome contention) {
		this(latency, operations, seconds, commands, contention, null);
	}

	public double opsPerSecond() {
		return this.operations / this.seconds;
	}

}
