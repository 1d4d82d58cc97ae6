package dev.redlock.testkit;

/**
 * Starts, stops, kills, pauses, resumes, restarts and closes one server's process: the failures
 * a {@link RedisServer} injects, apart from what the server is (its address and URIs).
 *
 * <p>Every method that changes the process is {@code synchronized}, so a restart cannot
 * interleave with a kill or a close; reads ({@link #port()}, {@link #pid()}, {@link #isRunning()})
 * need no lock.
 */
final class ServerLifecycle {

	private static final int BIND_ATTEMPTS = 5;

	/** Names the server in error messages; read only when one is thrown. */
	private final Object server;

	private final ServerCommandLine commandLine;

	private final ServerLog log;

	private final ServerSignals signals;

	private final ServerProcess process;

	private final Readiness readiness;

	private volatile int port;

	/** Guarded by {@code this}. */
	private boolean closed;

	ServerLifecycle(Object server, ServerCommandLine commandLine, ServerLog log) {
		this.server = server;
		this.commandLine = commandLine;
		this.log = log;
		this.signals = new ServerSignals(server);
		this.process = new ServerProcess(commandLine, log, signals);
		this.readiness = new Readiness(commandLine, log);
	}

	/** {@return the port of the latest launch, or 0 before the first} */
	int port() {
		return port;
	}

	long pid() {
		return process.pid();
	}

	boolean isRunning() {
		return process.isRunning();
	}

	boolean isPaused() {
		return signals.isPaused() && isRunning();
	}

	/**
	 * Launches the process on {@code requestedPort}, or on a free port if it is 0, and waits until
	 * it answers.
	 *
	 * @throws PortInUseException if a fixed port is taken, or every free port picked was taken
	 *     before the server could bind it
	 */
	synchronized void launchOnFirstFreePort(int requestedPort) {
		if (requestedPort != 0) {
			launch(requestedPort);
			return;
		}
		// A port found free can be taken by another program before redis-server binds it.
		PortInUseException lastFailure = null;
		for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
			try {
				launch(FreePorts.pick(RedisServer.HOST));
				return;
			}
			catch (PortInUseException e) {
				lastFailure = e;
			}
		}
		throw lastFailure;
	}

	synchronized void stop() {
		process.terminate(false);
	}

	synchronized void kill() {
		process.terminate(true);
	}

	synchronized void pause() {
		signals.pause(requireRunning("pause"));
	}

	synchronized void resume() {
		signals.resume(process.current());
	}

	/** A restarted process is a fresh one: the port stays, the data does not. */
	synchronized void restart() {
		if (closed) {
			throw new IllegalStateException(server + " is closed");
		}
		process.terminate(false);
		launch(port);
	}

	/** Kills the process and deletes the scratch directory; only the first call does anything. */
	synchronized void close() {
		if (closed) {
			return;
		}
		closed = true;
		try {
			process.terminate(true);
		}
		finally {
			TempDirectories.deleteRecursively(commandLine.workDirectory());
		}
	}

	/**
	 * {@return the running process}
	 *
	 * @throws IllegalStateException naming {@code action} if the server is not running
	 */
	Process requireRunning(String action) {
		Process current = process.current();
		if (current == null || !current.isAlive()) {
			throw new IllegalStateException("Cannot " + action + " " + server + ": it is not running");
		}
		return current;
	}

	private void launch(int targetPort) {
		long logOffset = log.size();
		Process started = process.launch(targetPort);
		port = targetPort;
		readiness.await(started, targetPort, logOffset);
	}
}
