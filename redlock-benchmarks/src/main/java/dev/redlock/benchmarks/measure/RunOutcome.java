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
 */
public record RunOutcome(Histogram latency, long operations, double seconds, Map<String, Long> commands,
		ContentionOutcome contention) {

	public double opsPerSecond() {
		return this.operations / this.seconds;
	}

}
