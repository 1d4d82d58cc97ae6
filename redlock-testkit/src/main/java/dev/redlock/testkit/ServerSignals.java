package dev.redlock.testkit;

import java.util.List;

/**
 * {@code SIGSTOP} and {@code SIGCONT} for a server's process, and whether it is stopped: the
 * node keeps its connections but answers nothing, like a long GC pause or a network partition.
 */
final class ServerSignals {

	/** Names the server in error messages; read only when one is thrown. */
	private final Object server;

	private volatile boolean paused;

	ServerSignals(Object server) {
		this.server = server;
	}

	/** {@return whether {@code SIGSTOP} was sent and not undone; the process may have ended since} */
	boolean isPaused() {
		return paused;
	}

	/** Does nothing if already paused. */
	void pause(Process current) {
		if (paused) {
			return;
		}
		signal("STOP", current);
		paused = true;
	}

	/** Does nothing if not paused; a process that has ended meanwhile needs no signal. */
	void resume(Process current) {
		if (!paused || current == null) {
			return;
		}
		if (current.isAlive()) {
			signal("CONT", current);
		}
		paused = false;
	}

	/**
	 * A stopped process would not act on {@code SIGTERM} until continued. Best effort: should
	 * {@code SIGCONT} fail, the {@code SIGKILL} fallback still ends a stopped process.
	 */
	void continueIfPaused(Process current) {
		if (paused) {
			Signals.send("CONT", List.of(current.pid()));
		}
	}

	/** A process that has just started or ended is not stopped. */
	void forget() {
		paused = false;
	}

	private void signal(String name, Process target) {
		if (!Signals.send(name, List.of(target.pid()))) {
			throw new IllegalStateException("Could not send SIG" + name + " to " + server);
		}
	}
}
