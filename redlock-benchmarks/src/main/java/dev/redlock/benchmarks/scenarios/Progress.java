package dev.redlock.benchmarks.scenarios;

import dev.redlock.benchmarks.measure.RunOutcome;

/**
 * Told about every measured run, for the console.
 *
 * @param <C> what the scenario's contenders are
 */
@FunctionalInterface
public interface Progress<C> {

	/** @param run from 0 */
	void ran(C contender, int run, RunOutcome outcome);

}
