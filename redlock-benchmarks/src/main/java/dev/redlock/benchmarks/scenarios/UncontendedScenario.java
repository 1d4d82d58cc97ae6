package dev.redlock.benchmarks.scenarios;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;

import dev.redlock.benchmarks.RunSettings;
import dev.redlock.benchmarks.contenders.Contender;
import dev.redlock.benchmarks.measure.RunOutcome;
import dev.redlock.benchmarks.report.Result;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs {@link UncontendedBenchmark} for every contender, in rounds: each round gives every
 * contender a JMH fork of its own with one measured run, in an order that rotates from round to
 * round. Contenders a few microseconds apart are thus measured side by side in time, and a slow
 * spell of a shared machine lands on all of them, rather than on whoever ran during it.
 */
public final class UncontendedScenario {

	static {
		// JMH refuses to start while another JMH run on this machine holds /tmp/jmh.lock; on a
		// shared machine that is someone else's business, and their load shows in the spread.
		System.setProperty("jmh.ignoreLock", "true");
	}

	private final RunSettings settings;

	public UncontendedScenario(RunSettings settings) {
		this.settings = settings;
	}

	/** {@return one result per contender, in the order given, each of {@link RunSettings#runs()} forks} */
	public List<Result> run(List<Contender> contenders, List<String> uris) {
		Map<Contender, List<RunOutcome>> runs = new LinkedHashMap<>();
		contenders.forEach((contender) -> runs.put(contender, new ArrayList<>()));
		for (int round = 0; round < this.settings.runs(); round++) {
			List<Contender> order = new ArrayList<>(contenders);
			Collections.rotate(order, -round);
			for (Contender contender : order) {
				runs.get(contender).add(fork(contender, uris));
			}
		}
		List<Result> results = new ArrayList<>();
		runs.forEach((contender, outcomes) -> results
			.add(Result.of(Result.UNCONTENDED, contender.id(), uris.size(), 1, outcomes)));
		return results;
	}

	private RunOutcome fork(Contender contender, List<String> uris) {
		Path out = createTempDirectory();
		try {
			Options options = new OptionsBuilder().include(UncontendedBenchmark.class.getName() + ".acquireAndRelease")
				.param("contender", contender.id())
				.param("uris", String.join(" ", uris))
				.param("out", out.toString())
				.forks(1)
				.jvmArgsAppend(contender.jvmArgs().toArray(String[]::new))
				.threads(1)
				.warmupIterations(this.settings.jmhWarmupIterations())
				.warmupTime(millis(this.settings.warmup().toMillis()))
				.measurementIterations(1)
				.measurementTime(millis(this.settings.measure().toMillis()))
				.timeUnit(TimeUnit.SECONDS)
				.resultFormat(ResultFormatType.CSV)
				.result(out.resolve("jmh.csv").toString())
				.verbosity(VerboseMode.SILENT)
				.shouldFailOnError(true)
				.build();
			new Runner(options).run();
			return read(out.resolve(contender.id() + "-0.properties"));
		}
		catch (RunnerException ex) {
			throw new IllegalStateException("JMH failed for " + contender.id(), ex);
		}
		finally {
			deleteRecursively(out);
		}
	}

	private static TimeValue millis(long millis) {
		return TimeValue.milliseconds(millis);
	}

	private static RunOutcome read(Path file) {
		Properties iteration = new Properties();
		try (Reader reader = Files.newBufferedReader(file)) {
			iteration.load(reader);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The JMH fork wrote no " + file.getFileName(), ex);
		}
		Histogram histogram;
		try {
			histogram = Histogram.decodeFromCompressedByteBuffer(
					ByteBuffer.wrap(Base64.getDecoder().decode(iteration.getProperty("histogram"))), 0);
		}
		catch (DataFormatException ex) {
			throw new IllegalStateException("Unreadable histogram in " + file.getFileName(), ex);
		}
		Map<String, Long> commands = new TreeMap<>();
		for (String name : iteration.stringPropertyNames()) {
			if (name.startsWith("command.")) {
				commands.put(name.substring("command.".length()), Long.parseLong(iteration.getProperty(name)));
			}
		}
		long operations = Long.parseLong(iteration.getProperty("operations"));
		double seconds = Long.parseLong(iteration.getProperty("nanos")) / 1e9;
		return new RunOutcome(histogram, operations, seconds, commands, null);
	}

	private static Path createTempDirectory() {
		try {
			return Files.createTempDirectory("redlock-bench-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void deleteRecursively(Path directory) {
		try (var files = Files.list(directory)) {
			for (Path file : files.toList()) {
				Files.deleteIfExists(file);
			}
			Files.deleteIfExists(directory);
		}
		catch (IOException ex) {
			// A leftover temporary directory is no reason to fail a benchmark run.
		}
	}

}
