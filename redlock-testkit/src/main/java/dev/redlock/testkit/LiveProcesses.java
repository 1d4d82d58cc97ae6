package dev.redlock.testkit;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The processes a {@link ProcessReaper} must kill when the JVM ends, and whether it has begun to.
 *
 * <p>Starting a process, tracking it and beginning to reap all take this object's lock, so there
 * is no moment at which a process runs that the reaper neither holds nor refuses: a process
 * started while the reaper collects the list (the JVM got {@code SIGTERM} while a cluster was
 * starting, say) is either in the list or never started. Spawning under the lock costs a few
 * milliseconds per server at most, and lets the reaper wait for a spawn in flight instead of
 * missing it.
 */
final class LiveProcesses {

	/** Guarded by {@code this}. */
	private final Set<Process> live = new HashSet<>();

	/** Guarded by {@code this}; once set, never cleared. */
	private boolean reaping;

	/**
	 * Starts {@code builder}'s process and tracks it.
	 *
	 * @throws IllegalStateException if reaping has begun: nothing is started then
	 * @throws IOException if the process cannot be started
	 */
	synchronized Process start(ProcessBuilder builder) throws IOException {
		if (reaping) {
			throw shuttingDown(builder.command().get(0));
		}
		Process started = builder.start();
		live.add(started);
		return started;
	}

	/** Stops tracking {@code process}; safe to call more than once. */
	synchronized void remove(Process process) {
		live.remove(process);
	}

	/**
	 * Refuses every later start and returns the processes still alive, the last this JVM will
	 * have started. A start in flight finishes first, and its process is among them.
	 */
	synchronized List<Process> beginReaping() {
		reaping = true;
		return live.stream().filter(Process::isAlive).toList();
	}

	private static IllegalStateException shuttingDown(String what) {
		return new IllegalStateException("Not starting " + what + ": the JVM is shutting down, and the processes the "
				+ "testkit started are being killed");
	}
}
