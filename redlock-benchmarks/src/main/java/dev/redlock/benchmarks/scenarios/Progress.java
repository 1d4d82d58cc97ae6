package dev.redlock.benchmarks.scenarios;

import dev.redlock.benchmarks.contenders.Contender;
import dev.redlock.benchmarks.measure.RunOutcome;

/** Told about every measured run, for the console. */
@FunctionalInterface
public interface Progress {

	/** @param run from 0 */
	void ran(Contender contender, int run, RunOutcome outcome);

}
