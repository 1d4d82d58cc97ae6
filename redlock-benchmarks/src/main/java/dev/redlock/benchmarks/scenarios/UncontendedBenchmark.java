package dev.redlock.benchmarks.scenarios;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import dev.redlock.benchmarks.RunSettings;
import dev.redlock.benchmarks.contenders.Contenders;
import dev.redlock.benchmarks.contenders.LockClient;
import dev.redlock.benchmarks.contenders.SharedResources;
import dev.redlock.benchmarks.measure.CommandStats;
import dev.redlock.benchmarks.measure.Latencies;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Scenario (a): one thread acquires and releases a lock nobody else wants, as fast as it can.
 * JMH runs it in a fresh JVM per contender, so no contender inherits another's JIT profile:
 * the scenario compares contenders a few microseconds apart. Each measured iteration is one
 * run; the fork writes its latency histogram (HdrHistogram, every operation timed) and the
 * nodes' command counts to {@code out}, where {@link UncontendedScenario} reads them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
public class UncontendedBenchmark {

	/** {@link dev.redlock.benchmarks.contenders.Contender#id()}. */
	@Param("redlock")
	public String contender;

	/** The nodes' URIs, separated by spaces. */
	@Param("")
	public String uris;

	/** Where the measured iterations are written. */
	@Param("")
	public String out;

	private SharedResources shared;

	private LockClient client;

	private CommandStats commandStats;

	private String key;

	private Histogram histogram;

	private Map<String, Long> commandsBefore;

	private long iterationStartedAt;

	private int measured;

	@Setup(Level.Trial)
	public void connect() {
		List<String> nodes = Arrays.asList(this.uris.trim().split(" +"));
		this.shared = new SharedResources();
		this.client = Contenders.byId(this.contender).connect(nodes, this.shared);
		this.commandStats = new CommandStats(nodes, this.shared.lettuce());
		this.key = "bench:uncontended:" + this.contender;
		this.histogram = Latencies.newHistogram();
	}

	@Setup(Level.Iteration)
	public void startIteration() {
		this.histogram.reset();
		this.commandsBefore = this.commandStats.snapshot();
		this.iterationStartedAt = System.nanoTime();
	}

	@Benchmark
	public void acquireAndRelease() throws Exception {
		long start = System.nanoTime();
		LockClient.Held held = this.client.acquire(this.key, RunSettings.TTL, RunSettings.TTL);
		if (held == null) {
			throw new IllegalStateException("Nobody else uses " + this.key + ", yet it could not be acquired");
		}
		held.release();
		this.histogram.recordValue(System.nanoTime() - start);
	}

	@TearDown(Level.Iteration)
	public void endIteration(IterationParams params) {
		long elapsed = System.nanoTime() - this.iterationStartedAt;
		if (params.getType() != IterationType.MEASUREMENT) {
			return;
		}
		Map<String, Long> commands = CommandStats.delta(this.commandsBefore, this.commandStats.snapshot());
		Properties iteration = new Properties();
		iteration.setProperty("operations", Long.toString(this.histogram.getTotalCount()));
		iteration.setProperty("nanos", Long.toString(elapsed));
		iteration.setProperty("histogram", encode(this.histogram));
		commands.forEach((name, count) -> iteration.setProperty("command." + name, Long.toString(count)));
		write(Path.of(this.out).resolve(this.contender + "-" + (this.measured++) + ".properties"), iteration);
	}

	@TearDown(Level.Trial)
	public void close() {
		this.commandStats.close();
		this.client.close();
		this.shared.close();
	}

	static String encode(Histogram histogram) {
		ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
		int length = histogram.encodeIntoCompressedByteBuffer(buffer);
		return Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length));
	}

	private static void write(Path file, Properties properties) {
		try (var writer = Files.newBufferedWriter(file)) {
			properties.store(writer, null);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
