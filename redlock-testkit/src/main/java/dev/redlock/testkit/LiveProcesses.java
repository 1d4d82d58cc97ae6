package dev.redlock.testkit;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The processes a {@link ProcessReaper} must kill when the JVM ends, and whether it has begun to.
 *
 * <p>Starting a process, tracking it, creating what the reaper deletes (scratch directories, pid
 * files) and beginning to reap all take this object's lock, so there is no moment at which a
 * process runs, or a file appears, that the reaper neither holds nor refuses: a server started
 * while the reaper collects the list (the JVM got {@code SIGTERM} while a cluster was starting,
 * say) is either in the list or never started. Spawning under the lock costs a few milliseconds
 * per server at most, and lets the reaper wait for a spawn in flight instead of missing it.
 */
final class LiveProcesses {

	/** Guarded by {@code this}. */
	private final Set<Process> live = new HashSet<>();

	/** Guarded by {@code this}; once set, never cleared. */
	private boolean reaping;

	/** Something made on disk or in the process table, for {@link #unlessReaping}. */
	@FunctionalInterface
	interface Creation<T> {

		T create() throws IOException;
	}

	/** What to record about a started process before anyone else can see it. */
	@FunctionalInterface
	interface Recording {

		void record(Process started) throws IOException;
	}

	/**
	 * Creates something the reaper will delete, unless reaping has begun.
	 *
	 * @param what names it in the exception
	 * @throws IllegalStateException if reaping has begun: nothing is created then
	 */
	synchronized <T> T unlessReaping(String what, Creation<T> creation) throws IOException {
		if (reaping) {
			throw new IllegalStateException("Not creating " + what + ": the JVM is shutting down, and the "
					+ "processes the testkit started are being killed");
		}
		return creation.create();
	}

	/**
	 * Starts {@code builder}'s process, tracks it and records it with {@code recording}.
	 *
	 * @throws IllegalStateException if reaping has begun, in which case nothing is started, or
	 *     {@code recording} fails, in which case the process is killed
	 * @throws IOException if the process cannot be started
	 */
	synchronized Process start(ProcessBuilder builder, Recording recording) throws IOException {
		Process started = unlessReaping(builder.command().get(0), builder::start);
		live.add(started);
		try {
			recording.record(started);
		}
		catch (IOException | RuntimeException e) {
			live.remove(started);
			started.destroyForcibly();
			throw new IllegalStateException("Could not record pid " + started.pid() + "; the process was killed", e);
		}
		return started;
	}

	/** Stops tracking {@code process}; safe to call more than once. */
	synchronized void remove(Process process) {
		live.remove(process);
	}

	/**
	 * Refuses every later start and creation, and returns the processes still alive, the last
	 * this JVM will have started. A start in flight finishes first, and its process is among them.
	 */
	synchronized List<Process> beginReaping() {
		reaping = true;
		return live.stream().filter(Process::isAlive).toList();
	}
}
