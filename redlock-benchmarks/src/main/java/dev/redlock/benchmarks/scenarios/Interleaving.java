package dev.redlock.benchmarks.scenarios;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.redlock.benchmarks.measure.RunOutcome;

/**
 * Runs the contenders of a scenario in turns, run 1 of each, then run 2 of each in a rotated
 * order, and so on, so that a burst of load from elsewhere on a shared machine spreads over
 * the contenders instead of landing on one.
 */
final class Interleaving {

	private Interleaving() {
	}

	/** One contender's part of a scenario. */
	interface Trial {

		/** Runs without measuring, before the contender's first run. */
		void warmUp();

		RunOutcome run();

	}

	/**
	 * @param <C> what the contenders are
	 * @return every contender's runs, in the order of {@code trials}
	 */
	static <C> Map<C, List<RunOutcome>> run(Map<C, Trial> trials, int runs, Progress<C> progress) {
		List<C> order = new ArrayList<>(trials.keySet());
		Map<C, List<RunOutcome>> outcomes = new LinkedHashMap<>();
		order.forEach((contender) -> outcomes.put(contender, new ArrayList<>()));
		for (int run = 0; run < runs; run++) {
			for (int i = 0; i < order.size(); i++) {
				C contender = order.get((i + run) % order.size());
				Trial trial = trials.get(contender);
				if (run == 0) {
					trial.warmUp();
				}
				RunOutcome outcome = trial.run();
				outcomes.get(contender).add(outcome);
				progress.ran(contender, run, outcome);
			}
		}
		return outcomes;
	}

}
