package dev.redlock.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import dev.redlock.benchmarks.contenders.Contender;
import dev.redlock.benchmarks.contenders.Contenders;
import dev.redlock.benchmarks.contenders.FloorContender;
import dev.redlock.benchmarks.contenders.LockClient;
import dev.redlock.benchmarks.contenders.SharedResources;
import dev.redlock.benchmarks.measure.CommandStats;
import dev.redlock.benchmarks.measure.Latencies;
import dev.redlock.benchmarks.measure.LoopbackProbe;
import dev.redlock.benchmarks.report.AspectOverhead;
import dev.redlock.benchmarks.report.BenchmarkRun;
import dev.redlock.benchmarks.report.Report;
import dev.redlock.benchmarks.report.Result;
import dev.redlock.benchmarks.scenarios.AspectScenario;
import dev.redlock.benchmarks.scenarios.ClusterNodesScenario;
import dev.redlock.benchmarks.scenarios.ContendedScenario;
import dev.redlock.benchmarks.scenarios.DistinctKeysScenario;
import dev.redlock.benchmarks.scenarios.TwoJvmContendedScenario;
import dev.redlock.benchmarks.scenarios.UncontendedScenario;
import dev.redlock.testkit.RedisServers;
import org.HdrHistogram.Histogram;

/**
 * Runs every scenario against every contender on local redis-server nodes it starts and
 * stops itself, then writes {@code benchmarks.md}, {@code benchmarks/results.json} and the
 * charts under the output directory.
 *
 * <pre>
 * java -jar redlock-benchmarks/target/redlock-benchmarks.jar [--quick] [--out docs]
 *      [--scenarios uncontended,distinct-keys,contended,contended-2jvm,aspect] [--nodes 1,3,5]
 * </pre>
 *
 * {@code --scenarios} and {@code --nodes} narrow a run down, for profiling one case; the
 * scenario {@code clusters} measures distinct keys on three Redis Clusters against three masters;
 * {@code contended-2jvm} runs half the contended workers in a child JVM, on 3 and 5 nodes.
 */
public final class BenchmarkMain {

	private static final String COMMAND = "./mvnw -B -q -pl redlock-benchmarks -am package -DskipTests"
			+ " && java -jar redlock-benchmarks/target/redlock-benchmarks.jar";

	/** Distinct keys on three Redis Clusters against three masters: not a result scenario of its own. */
	private static final String CLUSTERS = "clusters";

	private BenchmarkMain() {
	}

	public static void main(String[] args) throws Exception {
		Arguments arguments = Arguments.parse(args);
		RunSettings settings = arguments.quick ? RunSettings.quick() : RunSettings.full();
		Instant startedAt = Instant.now();
		long start = System.nanoTime();
		log("Redlock benchmarks, %s mode, output to %s", settings.mode(), arguments.out.toAbsolutePath());
		Machine machine = Machine.describe();
		log("%d cores, %s, %s, redis-server %s", machine.cores(), machine.cpu(), machine.jdk(), machine.redisServer());
		List<Result> results = new ArrayList<>();
		List<AspectOverhead> overheads = new ArrayList<>();
		Histogram ping = null;
		try (SharedResources shared = new SharedResources()) {
			for (int nodes : arguments.nodes) {
				ping = runOn(nodes, settings, arguments.scenarios, shared, results, overheads, ping,
						arguments.contenders);
			}
		}
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		String command = COMMAND + (arguments.quick ? " --quick" : "");
		BenchmarkRun run = new BenchmarkRun(settings, machine, startedAt, took, Latencies.micros(ping, 50),
				Latencies.micros(ping, 99), command, results, overheads);
		Report.write(run, arguments.out);
		log("Done in %d s; wrote %s", took.toSeconds(), arguments.out.resolve("benchmarks.md").toAbsolutePath());
	}

	/** Starts {@code nodes} servers, runs the scenarios on them, and stops them whatever happens. */
	private static Histogram runOn(int nodes, RunSettings settings, Set<String> scenarios, SharedResources shared,
			List<Result> results, List<AspectOverhead> overheads, Histogram ping, Set<String> only) throws Exception {
		try (RedisServers servers = RedisServers.start(nodes);
				CommandStats commandStats = new CommandStats(servers.uris(), shared.lettuce())) {
			List<String> uris = servers.uris();
			log("Started %d redis-server node(s): %s", nodes, uris);
			warmUp(uris, shared, settings);
			if (ping == null) {
				ping = LoopbackProbe.measure(uris.get(0), shared.lettuce(), settings.warmup().toNanos(),
						settings.isQuick() ? 5_000 : 20_000);
				log("Loopback PING round trip: p50 %.1f µs, p99 %.1f µs", Latencies.micros(ping, 50),
						Latencies.micros(ping, 99));
			}
			List<Contender> contenders = Contenders.on(nodes);
			if (scenarios.contains(Result.UNCONTENDED)) {
				// The previous node count's clients are still shutting down in this JVM while the
				// first fork starts: let that settle, and rotate who goes first.
				quietDown(settings);
				List<Contender> order = new ArrayList<>(contenders);
				order.addAll(Contenders.uncontendedVariants());
				if (only != null) {
					order.removeIf((contender) -> !only.contains(contender.id()));
				}
				Collections.rotate(order, -Arrays.binarySearch(RunSettings.NODE_COUNTS, nodes));
				for (Result result : new UncontendedScenario(settings).run(order, uris)) {
					log("[uncontended, %d node(s)] %-17s p50 %7.1f µs  p99 %7.1f µs  %8.0f ops/s", nodes,
							result.contender(), result.p50Us().median(), result.p99Us().median(), result.opsPerS().median());
					results.add(result);
				}
			}
			// Before the scenarios that leave dozens of clients shutting down in this JVM: this
			// one measures differences of a few microseconds in it.
			if (scenarios.contains(Result.ASPECT) && contains(RunSettings.ASPECT_NODE_COUNTS, nodes)) {
				AspectScenario aspect = new AspectScenario(settings, (contender, i, outcome) -> log(
						"[aspect, %d node(s)] %-17s run %d: p50 %7.1f µs  p99 %7.1f µs  %8.0f ops/s", nodes,
						contender.id(), i + 1, Latencies.micros(outcome.latency(), 50),
						Latencies.micros(outcome.latency(), 99), outcome.opsPerSecond()));
				AspectScenario.Outcome outcome = aspect.run(uris, commandStats);
				for (Result result : outcome.results()) {
					log("[aspect, %d node(s)] %-17s p50 %7.1f µs  p99 %7.1f µs  %8.0f ops/s (medians)", nodes,
							result.contender(), result.p50Us().median(), result.p99Us().median(),
							result.opsPerS().median());
					results.add(result);
				}
				AspectOverhead overhead = outcome.overhead();
				log("[aspect, %d node(s)] %s − %s, %d paired rounds: p50 difference %+.1f µs (%+.1f to %+.1f),"
						+ " ratio %.3f; observers alone p50 %.2f µs", nodes, overhead.contender(), overhead.reference(),
						overhead.paired().pairs(), overhead.paired().differenceUs().median(),
						overhead.paired().differenceUs().min(), overhead.paired().differenceUs().max(),
						overhead.paired().ratio().median(), overhead.observersAloneP50Us());
				overheads.add(overhead);
			}
			if (scenarios.contains(Result.DISTINCT_KEYS) && contains(RunSettings.DISTINCT_KEY_NODE_COUNTS, nodes)) {
				for (int threads : RunSettings.DISTINCT_KEY_THREADS) {
					DistinctKeysScenario distinct = new DistinctKeysScenario(settings, (contender, i, outcome) -> log(
							"[distinct keys, %d node(s), %d threads] %-17s run %d: %8.0f ops/s", nodes, threads,
							contender.id(), i + 1, outcome.opsPerSecond()));
					results.addAll(distinct.run(distinctKeyContenders(nodes), uris, threads, shared, commandStats));
				}
			}
			if (scenarios.contains(CLUSTERS) && nodes == 3) {
				ClusterNodesScenario clusters = new ClusterNodesScenario(settings, (contender, i, outcome) -> log(
						"[distinct keys, 3 clusters vs 3 masters] %-17s run %d: %8.0f ops/s, node CPU %.1f µs/op",
						contender.id(), i + 1, outcome.opsPerSecond(),
						(outcome.cpu() != null) ? outcome.cpu().nodeMicros() / Math.max(1, outcome.operations()) : 0.0));
				results.addAll(clusters.run(uris, shared));
			}
			if (scenarios.contains(Result.CONTENDED)) {
				for (int workers : RunSettings.CONTENDED_WORKERS) {
					ContendedScenario contended = new ContendedScenario(settings, (contender, i, outcome) -> log(
							"[contended, %d node(s), %d workers] %-17s run %d: %6.0f acq/s, wait p99 %8.1f µs", nodes,
							workers, contender.id(), i + 1, outcome.opsPerSecond(),
							Latencies.micros(outcome.latency(), 99)));
					results.addAll(contended.run(contenders, uris, workers, shared, commandStats));
				}
			}
			if (scenarios.contains(Result.CONTENDED_TWO_JVMS) && contains(RunSettings.TWO_JVM_NODE_COUNTS, nodes)) {
				List<Contender> twoJvm = contenders.stream()
					.filter((contender) -> only == null || only.contains(contender.id()))
					.toList();
				for (int workers : RunSettings.CONTENDED_WORKERS) {
					TwoJvmContendedScenario contended = new TwoJvmContendedScenario(settings,
							(contender, i, outcome) -> log("[contended, two JVMs, %d node(s), %d workers] %-17s run %d:"
									+ " %6.0f acq/s, wait p50 %8.1f µs, p99 %8.1f µs, per worker %d–%d, overlaps %d",
									nodes, workers, contender.id(), i + 1, outcome.opsPerSecond(),
									Latencies.micros(outcome.latency(), 50), Latencies.micros(outcome.latency(), 99),
									outcome.contention().fewestPerWorker(), outcome.contention().mostPerWorker(),
									outcome.contention().overlaps()));
					for (Result result : contended.run(twoJvm, uris, workers, shared, commandStats)) {
						log("[contended, two JVMs, %d node(s), %d workers] %-17s %6.0f acq/s, wait p50 %8.1f µs,"
								+ " p99 %8.1f µs, per worker %.0f–%.0f (medians)", nodes, workers, result.contender(),
								result.opsPerS().median(), result.p50Us().median(), result.p99Us().median(),
								result.contention().fewestPerWorker().median(),
								result.contention().mostPerWorker().median());
						results.add(result);
					}
				}
			}
			return ping;
		}
	}

	/**
	 * On one node, the single-node libraries with the core and the floor for reference; the
	 * other Redlocks are measured on three, where the targets are.
	 */
	private static List<Contender> distinctKeyContenders(int nodes) {
		return Contenders.on(nodes)
			.stream()
			.filter((c) -> nodes > 1 || !c.runsOn(3) || c.id().equals("redlock") || c.id().equals("floor"))
			.toList();
	}

	/**
	 * Fresh servers answer their first thousands of commands slower (page faults, allocator
	 * growth, the first Lua scripts); the first contender must not pay for that alone, so the
	 * floor's client locks and unlocks on them for a warm-up first.
	 */
	private static void warmUp(List<String> uris, SharedResources shared, RunSettings settings) throws Exception {
		try (LockClient client = new FloorContender().connect(uris, shared)) {
			long end = System.nanoTime() + settings.warmup().toNanos();
			for (int i = 0; System.nanoTime() < end; i++) {
				LockClient.Held held = client.acquire("bench:warm-up:" + (i % 64), RunSettings.TTL, RunSettings.TTL);
				if (held != null) {
					held.release();
				}
			}
		}
	}

	private static void quietDown(RunSettings settings) {
		System.gc();
		try {
			Thread.sleep(settings.isQuick() ? 250 : 1000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static boolean contains(int[] values, int value) {
		return Arrays.stream(values).anyMatch((v) -> v == value);
	}

	private static final long STARTED = System.nanoTime();

	static void log(String format, Object... args) {
		long seconds = (System.nanoTime() - STARTED) / 1_000_000_000L;
		System.out.println(String.format(Locale.ROOT, "%4d s  ", seconds) + String.format(Locale.ROOT, format, args));
		System.out.flush();
	}

	/** The command line. */
	private static final class Arguments {

		private boolean quick;

		private Path out = Path.of("docs");

		private Set<String> scenarios = new TreeSet<>(
				List.of(Result.UNCONTENDED, Result.DISTINCT_KEYS, Result.CONTENDED, Result.CONTENDED_TWO_JVMS,
						Result.ASPECT, CLUSTERS));

		private int[] nodes = RunSettings.NODE_COUNTS;

		/** Only these contenders in the uncontended and two-JVM scenarios, or all when {@code null}. */
		private Set<String> contenders;

		static Arguments parse(String[] args) {
			Arguments arguments = new Arguments();
			for (int i = 0; i < args.length; i++) {
				switch (args[i]) {
					case "--quick" -> arguments.quick = true;
					case "--out" -> arguments.out = Path.of(value(args, ++i, "--out"));
					case "--scenarios" -> arguments.scenarios = new TreeSet<>(
							Arrays.asList(value(args, ++i, "--scenarios").split(",")));
					case "--contenders" -> arguments.contenders = new TreeSet<>(
							Arrays.asList(value(args, ++i, "--contenders").split(",")));
					case "--nodes" -> arguments.nodes = Arrays.stream(value(args, ++i, "--nodes").split(","))
						.mapToInt(Integer::parseInt)
						.toArray();
					default -> throw new IllegalArgumentException("Unknown argument " + args[i]
							+ "; use [--quick] [--out DIR] [--scenarios a,b] [--nodes 1,3,5] [--contenders a,b]");
				}
			}
			return arguments;
		}

		private static String value(String[] args, int i, String option) {
			if (i >= args.length) {
				throw new IllegalArgumentException(option + " needs a value");
			}
			return args[i];
		}

	}

}
