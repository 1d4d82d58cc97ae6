package dev.redlock.benchmarks.scenarios;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.redlock.benchmarks.RunSettings;
import dev.redlock.benchmarks.contenders.Contender;
import dev.redlock.benchmarks.contenders.LockClient;
import dev.redlock.benchmarks.contenders.SharedResources;
import dev.redlock.benchmarks.measure.CommandStats;
import dev.redlock.benchmarks.measure.RunOutcome;
import dev.redlock.benchmarks.report.Result;

/**
 * Scenario (c): workers fight over one key. Each holds it for 1 ms, then works 5 ms without
 * it, and asks again. Every worker has its own client, as separate processes would: within
 * one client some libraries queue threads on a local lock, which would measure a JVM monitor
 * instead of the distributed lock.
 */
public final class ContendedScenario {

	/** Time spent holding the lock. */
	public static final long HOLD_NANOS = ContendedLoop.HOLD_NANOS;

	private final RunSettings settings;

	private final Progress<Contender> progress;

	public ContendedScenario(RunSettings settings, Progress<Contender> progress) {
		this.settings = settings;
		this.progress = progress;
	}

	public List<Result> run(List<Contender> contenders, List<String> uris, int workers, SharedResources shared,
			CommandStats commandStats) {
		Map<Contender, List<LockClient>> clients = new LinkedHashMap<>();
		try {
			Map<Contender, Interleaving.Trial> trials = new LinkedHashMap<>();
			for (Contender contender : contenders) {
				List<LockClient> own = connect(contender, uris, workers, shared);
				clients.put(contender, own);
				String key = "bench:contended:" + contender.id() + ":w" + workers;
				trials.put(contender, new Interleaving.Trial() {

					@Override
					public void warmUp() {
						measure(own, key, Duration.ZERO, ContendedScenario.this.settings.warmup(), commandStats);
					}

					@Override
					public RunOutcome run() {
						return measure(own, key, ContendedScenario.this.settings.settle(),
								ContendedScenario.this.settings.measure(), commandStats);
					}

				});
			}
			List<Result> results = new ArrayList<>();
			Interleaving.run(trials, this.settings.runs(), this.progress)
				.forEach((contender, runs) -> results
					.add(Result.of(Result.CONTENDED, contender.id(), uris.size(), workers, runs)));
			return results;
		}
		finally {
			clients.values().forEach((own) -> own.forEach(LockClient::close));
		}
	}

	/** One client per worker, connected a few at a time: Redisson clients take a while each. */
	static List<LockClient> connect(Contender contender, List<String> uris, int workers,
			SharedResources shared) {
		ExecutorService connecting = Executors.newFixedThreadPool(4);
		try {
			List<CompletableFuture<LockClient>> pending = new ArrayList<>();
			for (int i = 0; i < workers; i++) {
				pending.add(CompletableFuture.supplyAsync(() -> contender.connect(uris, shared), connecting));
			}
			return pending.stream().map(CompletableFuture::join).toList();
		}
		finally {
			connecting.shutdown();
		}
	}

	private static RunOutcome measure(List<LockClient> clients, String key, Duration settle, Duration measure,
			CommandStats commandStats) {
		Window window = new Window(settle, measure);
		HandoffLedger ledger = new HandoffLedger(window, clients.size());
		Map<String, Long> commands = Workers.run("contended", clients.size(),
				(worker) -> ContendedLoop.run(clients.get(worker), key, worker, window, ledger),
				() -> window.await(commandStats));
		return new RunOutcome(ledger.waits(), ledger.acquisitions(), window.seconds(), commands, ledger.outcome());
	}

}
