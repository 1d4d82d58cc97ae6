package dev.redlock.benchmarks.measure;

import org.HdrHistogram.Histogram;

/**
 * What the contended scenario sees beyond throughput.
 *
 * @param handoff from a holder starting to release to a worker that was already waiting
 * holding the lock
 * @param reacquired acquisitions by the worker that held the lock last, although it then
 * spent 5 ms away from it while others waited
 * @param timeouts waits that gave up inside the window, before their time: the window
 * itself ends every wait it outlasts, and those are not counted
 * @param overlaps acquisitions while another worker still held the lock: must be zero
 * @param fewestPerWorker the acquisitions of the worker that got the fewest: starvation shows here
 * @param mostPerWorker the acquisitions of the worker that got the most
 */
public record ContentionOutcome(Histogram handoff, long reacquired, long timeouts, long overlaps, long fewestPerWorker,
		long mostPerWorker) {

}
