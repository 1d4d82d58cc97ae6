package dev.redlock.benchmarks.scenarios;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * This JVM's handle on a {@link ContendedChild}: starts it with the same {@code java} binary,
 * class path and JVM flags, sends it runs, and reads its reports, every wait bounded. However a
 * run ends, {@link #close()} ends the child and anything it started. The child's stderr goes to
 * a log file, kept if anything went wrong: a failed run's stack trace is there.
 */
final class ChildJvm implements AutoCloseable {

	/** Starting a JVM and connecting up to 48 clients, on two cores that are busy with other things. */
	private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

	/** Past the window's close plus the workers' grace: their last release, and writing the report. */
	private static final Duration REPORT_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);

	/** Put on the queue once stdout ends; compared by identity. */
	private static final String END_OF_OUTPUT = new String("end of output");

	private final Process process;

	private final Path log;

	private final BufferedWriter commands;

	private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

	private volatile boolean failed;

	private ChildJvm(Process process, Path log) {
		this.process = process;
		this.log = log;
		this.commands = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
		Thread reader = new Thread(this::readOutput, "contended-child-stdout");
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * Starts a child running workers {@code firstWorker} to {@code firstWorker + workers - 1}
	 * of every contender named, and waits until their clients are connected.
	 */
	static ChildJvm start(List<String> uris, int firstWorker, int workers, List<String> contenderIds) {
		List<String> command = new ArrayList<>();
		command.add(ProcessHandle.current()
			.info()
			.command()
			.orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
		command.addAll(jvmFlags());
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), ContendedChild.class.getName(),
				String.join(",", uris), Integer.toString(firstWorker), Integer.toString(workers),
				String.join(",", contenderIds)));
		ChildJvm child;
		try {
			Path log = Files.createTempFile("redlock-contended-child-", ".log");
			child = new ChildJvm(new ProcessBuilder(command).redirectError(log.toFile()).start(), log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the child JVM: " + command, ex);
		}
		try {
			String line = child.next(System.nanoTime() + START_TIMEOUT.toNanos());
			if (!line.equals("ready")) {
				throw child.failure("said '" + line + "' instead of ready");
			}
			return child;
		}
		catch (RuntimeException ex) {
			child.close();
			throw ex;
		}
	}

	/**
	 * This JVM's flags, so both halves run alike (heap, GC, JIT); not agents, a debugger or a
	 * flight recording, which would fight over their port or file.
	 */
	private static List<String> jvmFlags() {
		return ManagementFactory.getRuntimeMXBean()
			.getInputArguments()
			.stream()
			.filter((flag) -> !flag.startsWith("-agent") && !flag.startsWith("-javaagent")
					&& !flag.startsWith("-Xrunjdwp") && !flag.startsWith("-XX:StartFlightRecording")
					&& !flag.startsWith("-XX:FlightRecorderOptions"))
			.toList();
	}

	/** Tells the child to run its workers on {@code key} through {@code window}; returns at once. */
	void run(String contenderId, String key, Window window) {
		try {
			this.commands.write("run " + contenderId + " " + key + " " + window.opensAt() + " " + window.closesAt());
			this.commands.newLine();
			this.commands.flush();
		}
		catch (IOException ex) {
			throw failure("did not take a run: " + ex.getMessage());
		}
	}

	/** Waits for the report of the run sent last and adds its events to {@code into}. */
	void report(AcquisitionLog into, Window window) {
		long deadline = window.closesAt() + ContendedLoop.GRACE.toNanos() + REPORT_TIMEOUT.toNanos();
		int events = 0;
		while (true) {
			String line = next(deadline);
			if (line.startsWith("end ")) {
				// A report cut short must not pass for a run with few acquisitions.
				int sent = Integer.parseInt(line.substring("end ".length()));
				if (sent != events) {
					throw failure("sent " + sent + " events but " + events + " arrived");
				}
				return;
			}
			if (line.startsWith("failed ")) {
				throw failure("failed its run: " + line.substring("failed ".length()));
			}
			try {
				into.read(line);
			}
			catch (IllegalArgumentException ex) {
				throw failure("sent what is not a report: " + ex.getMessage());
			}
			events++;
		}
	}

	private String next(long deadline) {
		try {
			String line = this.lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			if (line == null) {
				throw failure("did not answer in time");
			}
			if (line == END_OF_OUTPUT) {
				throw failure("ended its output");
			}
			return line;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw failure("was still running when this thread was interrupted");
		}
	}

	private void readOutput() {
		try (BufferedReader out = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			for (String line = out.readLine(); line != null; line = out.readLine()) {
				this.lines.add(line);
			}
		}
		catch (IOException ex) {
			// The child was destroyed: the same as the end of its output.
		}
		this.lines.add(END_OF_OUTPUT);
	}

	private IllegalStateException failure(String what) {
		this.failed = true;
		return new IllegalStateException("The child JVM (pid " + this.process.pid() + ") " + what + "; its log: " + this.log);
	}

	/** Asks the child to quit, and destroys it and its descendants if it has not within a few seconds. */
	@Override
	public void close() {
		try {
			this.commands.write("quit");
			this.commands.newLine();
			this.commands.close();
		}
		catch (IOException ex) {
			// Already gone.
		}
		boolean exited = false;
		try {
			exited = this.process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			if (!exited) {
				this.process.descendants().forEach(ProcessHandle::destroyForcibly);
				this.process.destroyForcibly();
				this.process.onExit().completeOnTimeout(null, EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
			}
		}
		if (exited && this.process.exitValue() == 0 && !this.failed) {
			try {
				Files.deleteIfExists(this.log);
			}
			catch (IOException ex) {
				// A temporary file left behind.
			}
		}
	}

}
