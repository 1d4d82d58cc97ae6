package dev.redlock.safety;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.redlock.safety.FaultInjector.Kind;
import dev.redlock.safety.SafetyWorkload.Counts;
import dev.redlock.testkit.FaultProxies;
import dev.redlock.testkit.RedisServer;
import dev.redlock.testkit.RedisServers;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The safety suite: five nodes behind fault proxies, ten clients (six Redlocks in this JVM,
 * four in a second one), each doing lock-protected, non-atomic read-modify-writes of counters
 * on a separate server, while random faults hit a minority of the nodes at a time. At the end,
 * no critical section may have overlapped another and no update may have been lost.
 *
 * <p>
 * It runs for {@code redlock.safety.duration} (default 90 s; for example
 * {@code -Dredlock.safety.duration=PT10M} for a longer soak, at most an hour), writes its
 * figures to {@code target/safety-report.txt} and prints them as one line.
 */
class RedlockSafetyTests {

	private static final int NODES = 5;

	private static final int LOCAL_CLIENTS = 6;

	private static final int REMOTE_CLIENTS = 4;

	private static final Duration DEFAULT_DURATION = Duration.ofSeconds(90);

	private static final Duration MIN_DURATION = Duration.ofSeconds(20);

	private static final Duration MAX_DURATION = Duration.ofHours(1);

	/** What the second JVM may take beyond the end time to start, finish and report. */
	private static final Duration CHILD_GRACE = Duration.ofSeconds(90);

	@Test
	@Timeout(value = 2, unit = TimeUnit.HOURS)
	void noOverlapsAndNoLostUpdatesUnderMinorityFaults() throws Exception {
		Duration duration = duration();
		long seed = System.nanoTime();
		long started = System.nanoTime();
		try (RedisServers nodes = RedisServers.start(NODES);
				FaultProxies proxies = FaultProxies.to(nodes);
				RedisServer counters = RedisServer.start()) {
			long endAt = System.currentTimeMillis() + duration.toMillis();
			Path childLog = Path.of(System.getProperty("basedir", "."), "target", "safety-child.log");
			Process child = startChild(proxies.uris(), counters.uri(), endAt, childLog);
			try {
				FaultInjector faults = new FaultInjector(nodes, proxies, SafetyWorkload.TTL,
						SafetyWorkload.COMMAND_TIMEOUT, seed);
				CompletableFuture<Void> injecting = CompletableFuture.runAsync(() -> {
					try {
						faults.run(endAt);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				});
				Counts local = new SafetyWorkload(proxies.uris(), counters.uri(), "local", LOCAL_CLIENTS, endAt).run();
				// Bounded: the injector waits out at most one restart delay after the end.
				injecting.get(SafetyWorkload.TTL.toSeconds() + 60, TimeUnit.SECONDS);

				boolean exited = child.waitFor(
						Math.max(0, endAt - System.currentTimeMillis()) + CHILD_GRACE.toMillis(), TimeUnit.MILLISECONDS);
				List<String> childOutput = Files.readAllLines(childLog, StandardCharsets.UTF_8);
				assertThat(exited).as("the second JVM ends on its own; its output:%n%s", tail(childOutput)).isTrue();
				assertThat(child.exitValue()).as("the second JVM's exit code; its output:%n%s", tail(childOutput))
					.isZero();
				Counts remote = childOutput.stream()
					.map(Counts::fromLine)
					.filter((counts) -> counts != null)
					.findFirst()
					.orElseThrow(() -> new AssertionError("No result from the second JVM:\n" + tail(childOutput)));
				List<String> remoteErrors = childOutput.stream()
					.filter((line) -> line.startsWith(SafetyWorkerMain.ERROR_PREFIX))
					.toList();

				long[] counterValues = readCounters(counters);
				Report report = new Report(duration, Duration.ofNanos(System.nanoTime() - started), seed, local, remote,
						counterValues, faults.injected());
				report.write();

				assertThat(local.errors()).as("errors in this JVM's clients").isEmpty();
				assertThat(remoteErrors).as("errors in the second JVM's clients").isEmpty();
				assertThat(report.overlaps()).as("critical sections that overlapped; " + report).isZero();
				assertThat(report.lostUpdates()).as("lost updates; " + report).isZero();
				FencedStore.Figures fenced = report.fenced();
				assertThat(fenced.staleAccepted()).as("stale writes accepted; " + report).isZero();
				assertThat(fenced.freshRefused()).as("fresh writes refused; " + report).isZero();
				assertThat(fenced.outOfOrder()).as("tokens not increasing in acquisition order; " + report).isZero();
				assertThat(fenced.staleRefused()).as("paused holders' stale writes were refused; " + report).isPositive();
				assertThat(fenced.accepted()).as("fenced writes accepted; " + report).isPositive();
				assertThat(local.acquisitions()).as("acquisitions in this JVM").isPositive();
				assertThat(remote.acquisitions()).as("acquisitions in the second JVM").isPositive();
				assertThat(report.faults()).as("faults of every kind were injected").allSatisfy((kind, count) -> assertThat(count).isPositive());
			}
			finally {
				// Whatever happened, the second JVM does not outlive the test.
				child.destroyForcibly();
				child.waitFor(10, TimeUnit.SECONDS);
			}
		}
	}

	/**
	 * The suite is only worth its zeros if it sees violations when there are some: here two
	 * groups of clients lock on servers of their own, so their locks exclude nobody across
	 * groups, and both detectors must fire.
	 */
	@Test
	void theDetectorsSeeOverlapsAndLostUpdatesWhenLocksDoNotExclude() throws Exception {
		try (RedisServer left = RedisServer.start();
				RedisServer right = RedisServer.start();
				RedisServer counters = RedisServer.start()) {
			long endAt = System.currentTimeMillis() + 5_000;
			CompletableFuture<Counts> leftRun = CompletableFuture.supplyAsync(() -> {
				try {
					return new SafetyWorkload(List.of(left.uri()), counters.uri(), "left", 3, endAt).run();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException(ex);
				}
			});
			Counts rightCounts = new SafetyWorkload(List.of(right.uri()), counters.uri(), "right", 3, endAt).run();
			Counts leftCounts = leftRun.get(120, TimeUnit.SECONDS);
			long[] values = readCounters(counters);
			long lost = 0;
			for (int i = 0; i < values.length; i++) {
				lost += leftCounts.sections()[i] + rightCounts.sections()[i] - values[i];
			}
			assertThat(leftCounts.overlaps() + rightCounts.overlaps()).as("overlaps seen").isPositive();
			assertThat(lost).as("lost updates seen").isPositive();
		}
	}

	/**
	 * The fenced store's detector is only worth its zero if it sees stale writes when a store
	 * lets them in: here the store does not check tokens, and the paused holders' writes get in.
	 */
	@Test
	void theDetectorSeesStaleWritesAcceptedWhenTheStoreDoesNotCheckTokens() throws Exception {
		try (RedisServers nodes = RedisServers.start(3); RedisServer counters = RedisServer.start()) {
			long endAt = System.currentTimeMillis() + 12_000;
			Counts counts = new SafetyWorkload(nodes.uris(), counters.uri(), "unchecked", 4, endAt, false, 2).run();
			assertThat(counts.errors()).isEmpty();
			assertThat(counts.fenced().staleAccepted()).as("stale writes accepted; " + counts.fenced()).isPositive();
			assertThat(counts.fenced().staleRefused()).isZero();
		}
	}

	private static Duration duration() {
		String value = System.getProperty("redlock.safety.duration");
		if (value == null || value.isBlank()) {
			return DEFAULT_DURATION;
		}
		Duration duration = value.startsWith("P") ? Duration.parse(value) : Duration.ofSeconds(Long.parseLong(value.trim()));
		if (duration.compareTo(MIN_DURATION) < 0 || duration.compareTo(MAX_DURATION) > 0) {
			throw new IllegalArgumentException("redlock.safety.duration must be between " + MIN_DURATION.toSeconds()
					+ " s and " + MAX_DURATION.toMinutes() + " min, but was " + value);
		}
		return duration;
	}

	private static Process startChild(List<String> nodes, String counterUri, long endAt, Path log) throws IOException {
		Files.createDirectories(log.getParent());
		String java = ProcessHandle.current().info().command()
			.orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
				"-cp", System.getProperty("java.class.path"), SafetyWorkerMain.class.getName(),
				String.join(",", nodes), counterUri, "remote", Integer.toString(REMOTE_CLIENTS), Long.toString(endAt)));
		Process child = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		child.getOutputStream().close();
		return child;
	}

	private static long[] readCounters(RedisServer counters) {
		RedisClient client = RedisClient.create(counters.uri());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			long[] values = new long[SafetyWorkload.RESOURCES];
			for (int i = 0; i < values.length; i++) {
				String value = connection.sync().get(SafetyWorkload.COUNTER_PREFIX + i);
				values[i] = (value != null) ? Long.parseLong(value) : 0;
			}
			return values;
		}
		finally {
			client.shutdown();
		}
	}

	private static String tail(List<String> lines) {
		return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
	}

	/** The figures of one run. */
	private record Report(Duration planned, Duration took, long seed, Counts local, Counts remote, long[] counters,
			Map<Kind, Integer> faults) {

		FencedStore.Figures fenced() {
			return this.local.fenced().plus(this.remote.fenced());
		}

		long overlaps() {
			return this.local.overlaps() + this.remote.overlaps();
		}

		long sections() {
			return this.local.totalSections() + this.remote.totalSections();
		}

		/** Increments that some holder made but the counter does not show, summed over the counters. */
		long lostUpdates() {
			long lost = 0;
			for (int i = 0; i < this.counters.length; i++) {
				lost += Math.abs(this.local.sections()[i] + this.remote.sections()[i] - this.counters[i]);
			}
			return lost;
		}

		void write() throws IOException {
			Path file = Path.of(System.getProperty("basedir", "."), "target", "safety-report.txt");
			Files.createDirectories(file.getParent());
			Files.writeString(file, toString() + System.lineSeparator(), StandardCharsets.UTF_8);
			System.out.println(this);
		}

		@Override
		public String toString() {
			String faultText = this.faults.entrySet()
				.stream()
				.map((entry) -> entry.getKey().label() + " " + entry.getValue())
				.collect(Collectors.joining(", "));
			long counted = 0;
			for (long value : this.counters) {
				counted += value;
			}
			return String.format(Locale.ROOT,
					"Redlock safety: %d nodes, %d clients (%d in this JVM, %d in a second JVM), %d s planned, %.1f s taken, "
							+ "seed %d: %d acquisitions, %d critical sections written (counters %d), %d abandoned near expiry, "
							+ "%d acquisitions timed out; faults: %s (%d in all); overlaps %d, lost updates %d; %s",
					NODES, LOCAL_CLIENTS + REMOTE_CLIENTS, LOCAL_CLIENTS, REMOTE_CLIENTS, this.planned.toSeconds(),
					this.took.toMillis() / 1000.0, this.seed, this.local.acquisitions() + this.remote.acquisitions(),
					sections(), counted, this.local.abandoned() + this.remote.abandoned(),
					this.local.timeouts() + this.remote.timeouts(), faultText,
					this.faults.values().stream().mapToInt(Integer::intValue).sum(), overlaps(), lostUpdates(), fenced());
		}

	}

}
