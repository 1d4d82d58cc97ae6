package dev.redlock.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The operating-system process behind a server, replaced by every restart. Its owner serialises
 * launching and terminating; reads need no lock.
 */
final class ServerProcess {

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	private final ServerCommandLine commandLine;

	private final ServerLog log;

	private final ServerSignals signals;

	private volatile Process process;

	ServerProcess(ServerCommandLine commandLine, ServerLog log, ServerSignals signals) {
		this.commandLine = commandLine;
		this.log = log;
		this.signals = signals;
	}

	/** {@return the most recently started process, running or not; {@code null} before the first} */
	Process current() {
		return process;
	}

	/** {@return the pid of the most recently started process, or -1 before the first} */
	long pid() {
		Process current = process;
		return current == null ? -1 : current.pid();
	}

	boolean isRunning() {
		Process current = process;
		return current != null && current.isAlive();
	}

	/**
	 * Starts {@code redis-server} on {@code port}, without waiting for it to answer. The
	 * {@link ProcessReaper} starts it, so that it is tracked from the start and never outlives the
	 * JVM.
	 */
	Process launch(int port) {
		Process started;
		try {
			started = ProcessReaper.start(new ProcessBuilder(commandLine.forPort(port))
					.directory(commandLine.workDirectory().toFile())
					.redirectErrorStream(true)
					.redirectOutput(Redirect.appendTo(log.file().toFile())));
		}
		catch (IOException e) {
			throw new UncheckedIOException("Could not run " + commandLine.binary(), e);
		}
		try {
			started.getOutputStream().close();
		}
		catch (IOException e) {
			started.destroyForcibly();
			throw new IllegalStateException("Could not set up " + commandLine.binary() + " (pid " + started.pid() + ")",
					e);
		}
		process = started;
		signals.forget();
		return started;
	}

	/**
	 * Ends the current process, if it runs, and waits for it: with {@code SIGKILL} if
	 * {@code forcibly}, else with {@code SIGTERM} and {@code SIGKILL} only after 10
	 * seconds.
	 */
	void terminate(boolean forcibly) {
		Process current = process;
		if (current == null) {
			return;
		}
		if (current.isAlive()) {
			signals.continueIfPaused(current);
			if (forcibly) {
				destroyAndWait(current);
			}
			else {
				current.destroy();
				if (!waitFor(current, STOP_TIMEOUT)) {
					destroyAndWait(current);
				}
			}
		}
		signals.forget();
		ProcessReaper.unregister(current);
	}

	static void destroyAndWait(Process victim) {
		victim.destroyForcibly();
		if (!waitFor(victim, STOP_TIMEOUT)) {
			throw new IllegalStateException("redis-server (pid " + victim.pid() + ") survived SIGKILL for "
					+ STOP_TIMEOUT.toSeconds() + " s");
		}
	}

	private static boolean waitFor(Process target, Duration timeout) {
		try {
			return target.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for redis-server (pid "
					+ target.pid() + ") to exit", e);
		}
	}
}
