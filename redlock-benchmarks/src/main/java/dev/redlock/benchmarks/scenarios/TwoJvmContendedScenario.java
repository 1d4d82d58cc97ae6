package dev.redlock.benchmarks.scenarios;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.redlock.benchmarks.RunSettings;
import dev.redlock.benchmarks.contenders.Contender;
import dev.redlock.benchmarks.contenders.LockClient;
import dev.redlock.benchmarks.contenders.SharedResources;
import dev.redlock.benchmarks.measure.CommandStats;
import dev.redlock.benchmarks.measure.RunOutcome;
import dev.redlock.benchmarks.report.Result;

/**
 * Scenario (c) with its workers in two JVMs: half in this one, half in a child JVM the run
 * starts itself, all on the same key and nodes, in the same window. In one JVM a release
 * reaches the waiters of every client through event loops and a scheduler they share; here half
 * the waiters are in another process, with event loops, JIT and garbage collector of its own,
 * as a deployment of two instances would be.
 */
public final class TwoJvmContendedScenario {

	/** The contenders that run here: this project's core, both modes, and the floor. */
	private static final Set<String> CONTENDERS = Set.of("redlock", "redlock-polling", "floor");

	private final RunSettings settings;

	private final Progress<Contender> progress;

	public TwoJvmContendedScenario(RunSettings settings, Progress<Contender> progress) {
		this.settings = settings;
		this.progress = progress;
	}

	/** Workers {@code 0} to {@code workers / 2 - 1} run here, the others in the child. */
	public List<Result> run(List<Contender> contenders, List<String> uris, int workers, SharedResources shared,
			CommandStats commandStats) {
		List<Contender> measured = contenders.stream().filter((c) -> CONTENDERS.contains(c.id())).toList();
		if (measured.isEmpty()) {
			return List.of();
		}
		int here = workers / 2;
		Map<Contender, List<LockClient>> clients = new LinkedHashMap<>();
		try (ChildJvm child = ChildJvm.start(uris, here, workers - here,
				measured.stream().map(Contender::id).toList())) {
			Map<Contender, Interleaving.Trial> trials = new LinkedHashMap<>();
			for (Contender contender : measured) {
				List<LockClient> own = ContendedScenario.connect(contender, uris, here, shared);
				clients.put(contender, own);
				String key = "bench:" + Result.CONTENDED_TWO_JVMS + ":" + contender.id() + ":w" + workers;
				trials.put(contender, new Interleaving.Trial() {

					@Override
					public void warmUp() {
						measure(child, contender.id(), own, key, workers, Duration.ZERO, TwoJvmContendedScenario.this.settings.warmup(),
								commandStats);
					}

					@Override
					public RunOutcome run() {
						return measure(child, contender.id(), own, key, workers, TwoJvmContendedScenario.this.settings.settle(),
								TwoJvmContendedScenario.this.settings.measure(), commandStats);
					}

				});
			}
			List<Result> results = new ArrayList<>();
			Interleaving.run(trials, this.settings.runs(), this.progress)
				.forEach((contender, runs) -> results
					.add(Result.of(Result.CONTENDED_TWO_JVMS, contender.id(), uris.size(), workers, runs)));
			return results;
		}
		finally {
			clients.values().forEach((own) -> own.forEach(LockClient::close));
		}
	}

	/**
	 * The child gets the window before this JVM's workers start, so both halves start
	 * together; a warm-up, with no settling, lets this half start a few milliseconds early.
	 */
	private static RunOutcome measure(ChildJvm child, String contenderId, List<LockClient> own, String key,
			int workers, Duration settle, Duration measure, CommandStats commandStats) {
		Window window = new Window(settle, measure);
		child.run(contenderId, key, window);
		AcquisitionLog log = new AcquisitionLog();
		Map<String, Long> commands = Workers.run(Result.CONTENDED_TWO_JVMS, own.size(),
				(worker) -> ContendedLoop.run(own.get(worker), key, worker, window, log),
				() -> window.await(commandStats));
		child.report(log, window);
		HandoffLedger ledger = new HandoffLedger(window, workers);
		log.replay(ledger);
		return new RunOutcome(ledger.waits(), ledger.acquisitions(), window.seconds(), commands, ledger.outcome());
	}

}
