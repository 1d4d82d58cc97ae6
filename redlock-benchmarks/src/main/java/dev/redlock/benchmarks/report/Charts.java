package dev.redlock.benchmarks.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.redlock.benchmarks.RunSettings;
import dev.redlock.benchmarks.contenders.Contender;
import dev.redlock.benchmarks.measure.Spread;

/** The report's charts, one PNG each, all on the headline node counts. */
final class Charts {

	static final String UNCONTENDED = "uncontended-latency.png";

	static final String DISTINCT_KEYS = "distinct-keys-throughput.png";

	static final String CONTENDED = "contended-throughput.png";

	static final String HANDOFF = "contended-latency.png";

	private Charts() {
	}

	/** @return the files written, relative to {@code directory} */
	static List<String> write(BenchmarkRun run, Path directory) throws IOException {
		List<String> written = new ArrayList<>();
		BarChart uncontended = new BarChart("Uncontended acquire + release, 1 thread", "latency, µs",
				List.of("p50", "p99", "p99.9"));
		BarChart distinct = new BarChart("Distinct keys: acquire + release per second", "operations/s",
				List.of(RunSettings.DISTINCT_KEY_THREADS[0] + " threads", RunSettings.DISTINCT_KEY_THREADS[1] + " threads"));
		BarChart contended = new BarChart("One key, workers holding 1 ms then working 5 ms: acquisitions per second",
				"acquisitions/s", List.of(RunSettings.CONTENDED_WORKERS[0] + " workers",
						RunSettings.CONTENDED_WORKERS[1] + " workers"));
		BarChart handoff = new BarChart("One key, " + RunSettings.CONTENDED_WORKERS[0]
				+ " workers: release-to-next-holder handoff and wait to acquire", "latency, µs",
				List.of("handoff p50", "handoff p99", "wait p50", "wait p99"));
		boolean any = false;
		for (Contender contender : Headline.contenders()) {
			int nodes = Headline.nodes(contender);
			String label = contender.id() + "\n" + nodes + ((nodes == 1) ? " node" : " nodes");
			var a = run.find(Result.UNCONTENDED, contender.id(), nodes, 1);
			if (a.isPresent()) {
				uncontended.group(label, a.get().p50Us(), a.get().p99Us(), a.get().p999Us());
				any = true;
			}
			var b16 = run.find(Result.DISTINCT_KEYS, contender.id(), nodes, RunSettings.DISTINCT_KEY_THREADS[0]);
			var b64 = run.find(Result.DISTINCT_KEYS, contender.id(), nodes, RunSettings.DISTINCT_KEY_THREADS[1]);
			if (b16.isPresent() || b64.isPresent()) {
				distinct.group(label, b16.map(Result::opsPerS).orElse(null), b64.map(Result::opsPerS).orElse(null));
			}
			var c8 = run.find(Result.CONTENDED, contender.id(), nodes, RunSettings.CONTENDED_WORKERS[0]);
			var c32 = run.find(Result.CONTENDED, contender.id(), nodes, RunSettings.CONTENDED_WORKERS[1]);
			if (c8.isPresent() || c32.isPresent()) {
				contended.group(label, c8.map(Result::opsPerS).orElse(null), c32.map(Result::opsPerS).orElse(null));
			}
			if (c8.isPresent()) {
				Result.Contention c = c8.get().contention();
				handoff.group(label, positive(c.handoffP50Us()), positive(c.handoffP99Us()), c8.get().p50Us(),
						c8.get().p99Us());
			}
		}
		if (any) {
			uncontended.reference("loopback PING p50", run.pingP50Us()).write(directory.resolve(UNCONTENDED));
			written.add(UNCONTENDED);
		}
		if (run.results().stream().anyMatch((r) -> r.scenario().equals(Result.DISTINCT_KEYS))) {
			distinct.write(directory.resolve(DISTINCT_KEYS));
			written.add(DISTINCT_KEYS);
		}
		if (run.results().stream().anyMatch((r) -> r.scenario().equals(Result.CONTENDED))) {
			contended.write(directory.resolve(CONTENDED));
			handoff.write(directory.resolve(HANDOFF));
			written.add(CONTENDED);
			written.add(HANDOFF);
		}
		return written;
	}

	/** No handoff at all (every acquisition a re-acquisition) draws no bar rather than a zero. */
	private static Spread positive(Spread spread) {
		return (spread.median() > 0) ? spread : null;
	}

}
