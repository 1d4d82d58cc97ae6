package dev.redlock.benchmarks;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dev.redlock.Lock;
import dev.redlock.Redlock;
import dev.redlock.testkit.SentinelGroup;

/**
 * What {@code replicaAcknowledgements(1)} costs: uncontended acquire + release on one Sentinel
 * group (a master and its replica on loopback), with and without WAIT, in interleaved rounds.
 *
 * <pre>
 * java -cp redlock-benchmarks/target/redlock-benchmarks.jar dev.redlock.benchmarks.ReplicaAcknowledgementCost
 * </pre>
 */
public final class ReplicaAcknowledgementCost {

	private static final int ROUNDS = 3;

	private static final int SAMPLES = 2_000;

	private ReplicaAcknowledgementCost() {
	}

	public static void main(String[] args) {
		try (SentinelGroup group = SentinelGroup.start("cost");
				Redlock plain = Redlock.builder().nodes(List.of(group.uri())).build();
				Redlock acknowledged = Redlock.builder().nodes(List.of(group.uri())).replicaAcknowledgements(1).build()) {
			for (int round = 1; round <= ROUNDS; round++) {
				report(round, "plain", measure(plain));
				report(round, "WAIT 1", measure(acknowledged));
			}
		}
	}

	private static long[] measure(Redlock redlock) {
		for (int i = 0; i < SAMPLES / 4; i++) {
			redlock.acquire("bench:replica-acks", Duration.ofSeconds(10)).release();
		}
		long[] nanos = new long[SAMPLES];
		for (int i = 0; i < SAMPLES; i++) {
			long start = System.nanoTime();
			Lock lock = redlock.acquire("bench:replica-acks", Duration.ofSeconds(10));
			lock.release();
			nanos[i] = System.nanoTime() - start;
		}
		Arrays.sort(nanos);
		return nanos;
	}

	private static void report(int round, String what, long[] sorted) {
		System.out.printf(Locale.ROOT, "round %d  %-7s p50 %7.1f µs  p99 %8.1f µs%n", round, what,
				sorted[sorted.length / 2] / 1000.0, sorted[sorted.length * 99 / 100] / 1000.0);
	}

}
