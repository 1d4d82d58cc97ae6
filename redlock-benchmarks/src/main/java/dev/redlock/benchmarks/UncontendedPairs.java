package dev.redlock.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dev.redlock.benchmarks.contenders.Contenders;
import dev.redlock.benchmarks.contenders.LockClient;
import dev.redlock.benchmarks.contenders.SharedResources;
import dev.redlock.benchmarks.measure.PairedDifference;
import dev.redlock.testkit.RedisServers;
import io.lettuce.core.resource.EpollProvider;

/**
 * The core against the floor, uncontended, in one JVM and in paired rounds: each round times
 * {@value #SAMPLES} acquire + release of the floor, then as many of the core, so a slow spell
 * of a shared machine lands on both halves of a pair. Both are first warmed up well past the
 * JIT's settling ({@value #WARM_UP} operations each). Scenario (a) forks a JVM per run, which
 * keeps the contenders' JIT profiles apart; this keeps them together and in step, for a ratio
 * that two cores shared with the nodes can resolve. Run it once per transport:
 *
 * <pre>
 * java -cp redlock-benchmarks/target/redlock-benchmarks.jar dev.redlock.benchmarks.UncontendedPairs 3
 * java -Dio.lettuce.core.epoll=false -cp ... dev.redlock.benchmarks.UncontendedPairs 3
 * </pre>
 */
public final class UncontendedPairs {

	private static final int ROUNDS = 15;

	private static final int SAMPLES = 1_500;

	private static final int WARM_UP = 20_000;

	private static final Duration TTL = Duration.ofSeconds(10);

	private UncontendedPairs() {
	}

	/** @param args the node count, 3 if none */
	public static void main(String[] args) throws Exception {
		int nodes = (args.length > 0) ? Integer.parseInt(args[0]) : 3;
		try (RedisServers servers = RedisServers.start(nodes); SharedResources shared = new SharedResources()) {
			LockClient floor = Contenders.byId("floor").connect(servers.uris(), shared);
			LockClient core = Contenders.byId("redlock").connect(servers.uris(), shared);
			try {
				time(floor, "bench:pairs:floor", WARM_UP);
				time(core, "bench:pairs:redlock", WARM_UP);
				List<Double> floorP50s = new ArrayList<>();
				List<Double> coreP50s = new ArrayList<>();
				List<Double> floorP99s = new ArrayList<>();
				List<Double> coreP99s = new ArrayList<>();
				for (int round = 0; round < ROUNDS; round++) {
					long[] f = time(floor, "bench:pairs:floor", SAMPLES);
					long[] c = time(core, "bench:pairs:redlock", SAMPLES);
					floorP50s.add(percentile(f, 50));
					coreP50s.add(percentile(c, 50));
					floorP99s.add(percentile(f, 99));
					coreP99s.add(percentile(c, 99));
				}
				PairedDifference p50 = PairedDifference.of(floorP50s, coreP50s);
				PairedDifference p99 = PairedDifference.of(floorP99s, coreP99s);
				System.out.printf(Locale.ROOT, "%d node(s), %s, %d pairs of %d: p50 floor %.1f µs, redlock %.1f µs,"
						+ " redlock ÷ floor %.2f× (%.2f–%.2f); p99 floor %.1f µs, redlock %.1f µs, ÷ %.2f× (%.2f–%.2f)%n",
						nodes, EpollProvider.isAvailable() ? "epoll" : "NIO", ROUNDS, SAMPLES, median(floorP50s),
						median(coreP50s), p50.ratio().median(), p50.ratio().min(), p50.ratio().max(), median(floorP99s),
						median(coreP99s), p99.ratio().median(), p99.ratio().min(), p99.ratio().max());
			}
			finally {
				floor.close();
				core.close();
			}
		}
	}

	private static long[] time(LockClient client, String key, int samples) throws Exception {
		long[] nanos = new long[samples];
		for (int i = 0; i < samples; i++) {
			long start = System.nanoTime();
			LockClient.Held held = client.acquire(key, TTL, TTL);
			if (held == null) {
				throw new IllegalStateException("Nobody else uses " + key + ", yet it could not be acquired");
			}
			held.release();
			nanos[i] = System.nanoTime() - start;
		}
		Arrays.sort(nanos);
		return nanos;
	}

	private static double percentile(long[] sorted, int percent) {
		return sorted[(int) ((sorted.length - 1L) * percent / 100)] / 1000.0;
	}

	private static double median(List<Double> values) {
		double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		return sorted[sorted.length / 2];
	}

}
