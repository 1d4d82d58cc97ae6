package dev.redlock.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes sure no redis-server started by this JVM outlives it.
 *
 * <p>Two mechanisms, because neither covers every way a JVM ends:
 * <ul>
 *   <li>a shutdown hook kills every live process when the JVM exits normally or on
 *       {@code SIGTERM}/{@code SIGINT};</li>
 *   <li>a watchdog shell process, started once per JVM, waits for the JVM to disappear and then
 *       kills every pid listed in this JVM's testkit directory. This covers {@code kill -9} of
 *       the JVM (a crashed or timed-out test fork), where no hook runs. Each registered process
 *       has a {@code <pid>.pid} file there for as long as it lives.</li>
 * </ul>
 * Either way the directory is deleted last, and with it the servers' scratch directories, which
 * are created inside it for that reason.
 *
 * <p>Once the shutdown hook has begun, no process starts any more (see {@link LiveProcesses}):
 * the hook runs while the test's own threads still do, and a server they start after it
 * collected the list would otherwise be left running.
 */
final class ProcessReaper {

	/**
	 * Arguments: $1 the JVM pid, $2 the testkit directory. A dead JVM that its parent has not reaped
	 * yet still answers {@code kill -0}, so a zombie state reported by {@code ps} also ends the
	 * wait. Stopped processes are continued before being killed so that none is left stopped.
	 */
	private static final String WATCHDOG_SCRIPT = String.join("\n",
			"jvm=$1",
			"dir=$2",
			"while kill -0 \"$jvm\" 2>/dev/null; do",
			"  case $(ps -o stat= -p \"$jvm\" 2>/dev/null) in *Z*) break ;; esac",
			"  sleep 1",
			"done",
			"for file in \"$dir\"/*.pid; do",
			"  [ -f \"$file\" ] || continue",
			"  pid=${file##*/}",
			"  pid=${pid%.pid}",
			"  kill -s CONT \"$pid\" 2>/dev/null",
			"  kill -s KILL \"$pid\" 2>/dev/null",
			"done",
			"rm -rf \"$dir\"");

	private static final long HOOK_WAIT_MILLIS = 2_000;

	private static final ProcessReaper INSTANCE = new ProcessReaper();

	private final LiveProcesses live = new LiveProcesses();

	/** Guarded by {@code this}, like {@link #watchdog}; both are set once, on first use. */
	private Path directory;

	private Process watchdog;

	private ProcessReaper() {
	}

	/**
	 * Starts {@code builder}'s process and tracks it until it exits.
	 *
	 * @throws IllegalStateException if the JVM is shutting down, in which case nothing is started,
	 *     or the process cannot be recorded for the watchdog (its pid file), in which case it is
	 *     killed
	 * @throws IOException if the process cannot be started
	 */
	static Process start(ProcessBuilder builder) throws IOException {
		return INSTANCE.startTracked(builder);
	}

	/** Stops tracking {@code process}; safe to call more than once. */
	static void unregister(Process process) {
		INSTANCE.remove(process);
	}

	/**
	 * Creates a scratch directory that is deleted when this JVM ends, however it ends.
	 */
	static Path createWorkDirectory(String prefix) {
		Path root = INSTANCE.ensureStarted();
		try {
			// Not once the hook deletes the root: a directory made meanwhile would keep it alive.
			return INSTANCE.live.unlessReaping("a scratch directory",
					() -> Files.createTempDirectory(root, prefix));
		}
		catch (IOException e) {
			throw new UncheckedIOException("Could not create a directory in " + root, e);
		}
	}

	/** The directory the watchdog reads; the first call starts the watchdog and shutdown hook. */
	static Path directory() {
		return INSTANCE.ensureStarted();
	}

	private Process startTracked(ProcessBuilder builder) throws IOException {
		Path root = ensureStarted();
		Process process = live.start(builder,
				started -> Files.writeString(pidFile(root, started), Long.toString(started.pid())));
		// Registered last: if the process is already dead this runs at once and removes the file.
		process.onExit().thenRun(() -> remove(process));
		return process;
	}

	private void remove(Process process) {
		live.remove(process);
		Path root;
		synchronized (this) {
			root = directory;
		}
		if (root == null) {
			return;
		}
		try {
			Files.deleteIfExists(pidFile(root, process));
		}
		catch (IOException ignored) {
			// Worst case the watchdog later signals a pid that no longer exists, which is harmless.
		}
	}

	private static Path pidFile(Path root, Process process) {
		return root.resolve(process.pid() + ".pid");
	}

	private synchronized Path ensureStarted() {
		if (directory != null) {
			return directory;
		}
		long jvmPid = ProcessHandle.current().pid();
		Path created = TempDirectories.create("redlock-testkit-" + jvmPid + "-");
		try {
			Process started = new ProcessBuilder("sh", "-c", WATCHDOG_SCRIPT, "redlock-testkit-watchdog",
					Long.toString(jvmPid), created.toString())
					// Inheriting the JVM's streams would make a test runner that reads them
					// (Maven Surefire does) wait for the watchdog to end.
					.redirectOutput(Redirect.DISCARD)
					.redirectError(Redirect.DISCARD)
					.start();
			watchdog = started;
			started.getOutputStream().close();
		}
		catch (IOException e) {
			TempDirectories.deleteRecursively(created);
			throw new UncheckedIOException("Could not start the redis-server watchdog (sh -c)", e);
		}
		Runtime.getRuntime().addShutdownHook(new Thread(this::reapAll, "redlock-testkit-reaper"));
		directory = created;
		return created;
	}

	private void reapAll() {
		List<Process> victims = live.beginReaping();
		// Linux and macOS let SIGKILL end a stopped process, but POSIX leaves that open:
		// continuing paused servers first makes the kill certain everywhere.
		Signals.send("CONT", victims.stream().map(Process::pid).toList());
		victims.forEach(Process::destroyForcibly);
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HOOK_WAIT_MILLIS);
		for (Process victim : victims) {
			try {
				victim.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		Path root;
		Process dog;
		synchronized (this) {
			root = directory;
			dog = watchdog;
		}
		if (dog != null) {
			dog.destroy();
		}
		if (root != null) {
			TempDirectories.deleteRecursively(root);
		}
	}
}
