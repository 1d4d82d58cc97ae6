package dev.redlock.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One real {@code redis-server} process listening on {@code 127.0.0.1}, with persistence off and
 * its own scratch directory.
 *
 * <p>Beyond starting and closing, it injects the failures a distributed lock must survive:
 * {@link #stop()} (graceful shutdown), {@link #kill()} ({@code SIGKILL}), {@link #pause()} and
 * {@link #resume()} ({@code SIGSTOP}/{@code SIGCONT}: the node keeps its connections but answers
 * nothing, like a long GC pause or a network partition) and {@link #restart()} on the same port.
 * A restarted server is empty, as a real node restarted without persistence would be.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start()) {
 *     connect(redis.uri());
 *     redis.pause();
 *     ...
 * }
 * }</pre>
 *
 * <p>Methods are thread-safe. The process never outlives the JVM, even one killed with
 * {@code SIGKILL}.
 */
public final class RedisServer implements AutoCloseable {

	static final String HOST = "127.0.0.1";

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

	private static final int BIND_ATTEMPTS = 5;

	private final ServerCommandLine commandLine;

	private final ServerLog log;

	private final ServerSignals signals;

	private final ServerProcess process;

	private final Readiness readiness;

	private volatile int port;

	/** Guarded by {@code this}, which also serialises every start, stop and signal. */
	private boolean closed;

	private RedisServer(Path binary, List<String> extraArgs, TlsCertificates tls, Path workDirectory,
			Path configFile) {
		this.commandLine = new ServerCommandLine(binary, extraArgs, TlsPort.pick(tls), workDirectory, configFile);
		this.log = new ServerLog(workDirectory.resolve("redis.log"));
		this.signals = new ServerSignals(this);
		this.process = new ServerProcess(this.commandLine, this.log, this.signals);
		this.readiness = new Readiness(this.commandLine, this.log);
	}

	/**
	 * Starts a server on a free port with the default settings and waits until it answers.
	 *
	 * @return the running server
	 * @throws IllegalStateException if it does not start; the message ends with its log
	 */
	public static RedisServer start() {
		return builder().start();
	}

	/**
	 * Returns a builder for a server with extra {@code redis-server} arguments or a fixed port.
	 *
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	private static RedisServer start(List<String> extraArgs, int requestedPort, Path binary, TlsCertificates tls,
			ConfigFile config) {
		Path workDirectory = ProcessReaper.createWorkDirectory("redis-");
		Path configFile = (config != null) ? workDirectory.resolve(config.name()) : null;
		RedisServer server = new RedisServer((binary != null) ? binary : RedisServerBinary.locate(), extraArgs, tls,
				workDirectory, configFile);
		try {
			if (config != null) {
				writeConfig(configFile, config.content());
			}
			server.launchOnFirstFreePort(requestedPort);
			return server;
		}
		catch (RuntimeException | Error e) {
			try {
				server.close();
			}
			catch (RuntimeException closeFailure) {
				e.addSuppressed(closeFailure);
			}
			throw e;
		}
	}

	/** {@return the address the server listens on: always {@code "127.0.0.1"}} */
	public String host() {
		return HOST;
	}

	/** {@return the TCP port, which stays the same across {@link #restart()}} */
	public int port() {
		return port;
	}

	/** {@return the URI clients connect to, {@code redis://127.0.0.1:<port>}, without any password} */
	public String uri() {
		return "redis://" + HOST + ":" + port;
	}

	/**
	 * Returns the port that serves TLS, as set up by {@link Builder#tls(TlsCertificates)}; it
	 * stays the same across {@link #restart()}.
	 *
	 * @return the TLS port
	 * @throws IllegalStateException if the server was started without TLS
	 */
	public int tlsPort() {
		TlsPort tls = commandLine.tls();
		if (tls == null) {
			throw new IllegalStateException(this + " was started without TLS: use RedisServer.builder().tls(...)");
		}
		return tls.port();
	}

	/**
	 * Returns the URI of the TLS port, {@code rediss://127.0.0.1:<tlsPort>}, without any password.
	 *
	 * @return the URI
	 * @throws IllegalStateException if the server was started without TLS
	 */
	public String tlsUri() {
		return "rediss://" + HOST + ":" + tlsPort();
	}

	/** {@return the executable this server runs} */
	public Path binary() {
		return commandLine.binary();
	}

	/** {@return the operating-system pid of the most recently started process, whether or not it still runs} */
	public long pid() {
		return process.pid();
	}

	/** {@return whether the process is alive; a paused process is alive} */
	public boolean isRunning() {
		return process.isRunning();
	}

	/** {@return whether the process is alive and stopped by {@link #pause()}} */
	public boolean isPaused() {
		return signals.isPaused() && isRunning();
	}

	/**
	 * Shuts the server down gracefully ({@code SIGTERM}) and waits for it to exit, resuming it
	 * first if paused. Falls back to {@code SIGKILL} if it has not exited after 10 seconds.
	 * Does nothing if it is not running.
	 */
	public synchronized void stop() {
		process.terminate(false);
	}

	/**
	 * Kills the server abruptly ({@code SIGKILL}), as a crashed node, and waits for it to exit.
	 * Does nothing if it is not running.
	 */
	public synchronized void kill() {
		process.terminate(true);
	}

	/**
	 * Freezes the server with {@code SIGSTOP}: connections stay open and commands time out
	 * instead of failing. Does nothing if already paused.
	 *
	 * @throws IllegalStateException if the server is not running or the signal cannot be sent
	 */
	public synchronized void pause() {
		signals.pause(requireRunning("pause"));
	}

	/**
	 * Lets a paused server run again with {@code SIGCONT}; commands sent meanwhile are then
	 * answered. Does nothing if it is not paused.
	 *
	 * @throws IllegalStateException if the signal cannot be sent
	 */
	public synchronized void resume() {
		signals.resume(process.current());
	}

	/**
	 * Starts a fresh, empty process on the same port with the same arguments and waits until it
	 * answers, stopping the current one gracefully first if it still runs.
	 *
	 * @throws IllegalStateException if the server was closed, or the new process does not start
	 *     (for instance because something else took the port meanwhile)
	 */
	public synchronized void restart() {
		if (closed) {
			throw new IllegalStateException(this + " is closed");
		}
		process.terminate(false);
		launch(port);
	}

	/**
	 * Deletes every key in every database ({@code FLUSHALL}), authenticating first when the server
	 * was started with {@code --requirepass}.
	 *
	 * @throws IllegalStateException if the server is not running, is paused, or refuses
	 * @throws UncheckedIOException if the server cannot be reached
	 */
	public void flushAll() {
		requireRunning("flush");
		if (isPaused()) {
			throw new IllegalStateException("Cannot flush " + this + ": it is paused");
		}
		try (RespClient client = RespClient.connect(HOST, port, COMMAND_TIMEOUT)) {
			authenticate(client);
			RespClient.Reply reply = client.call("FLUSHALL");
			if (reply.isError()) {
				throw new IllegalStateException("FLUSHALL on " + this + " failed: " + reply.text());
			}
		}
		catch (IOException e) {
			throw new UncheckedIOException("FLUSHALL on " + this + " failed", e);
		}
	}

	/**
	 * Kills the process and deletes its scratch directory. Calling it again does nothing; the
	 * server cannot be restarted afterwards.
	 */
	@Override
	public synchronized void close() {
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
	 * Sends one command on a fresh connection, logging in first when the server was started with
	 * {@code --requirepass}, and returns the reply, errors included.
	 *
	 * @throws UncheckedIOException if the server cannot be reached or does not answer in 5 s
	 */
	RespClient.Reply call(String... command) {
		try (RespClient client = RespClient.connect(HOST, port, COMMAND_TIMEOUT)) {
			authenticate(client);
			return client.call(command);
		}
		catch (IOException e) {
			throw new UncheckedIOException(command[0] + " on " + this + " failed: " + e.getMessage(), e);
		}
	}

	/** {@return the {@code --requirepass} the server was started with, or {@code null}} */
	String password() {
		return commandLine.password();
	}

	/** Shows the address and pid only: extra arguments may hold passwords. */
	@Override
	public String toString() {
		return "RedisServer[" + HOST + ":" + port + ", pid " + pid() + "]";
	}

	/** The file that collects the process's output, across restarts. */
	Path logFile() {
		return log.file();
	}

	private void launchOnFirstFreePort(int requestedPort) {
		if (requestedPort != 0) {
			launch(requestedPort);
			return;
		}
		// A port found free can be taken by another program before redis-server binds it.
		PortInUseException lastFailure = null;
		for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
			try {
				launch(FreePorts.pick(HOST));
				return;
			}
			catch (PortInUseException e) {
				lastFailure = e;
			}
		}
		throw lastFailure;
	}

	private synchronized void launch(int targetPort) {
		long logOffset = log.size();
		Process started = process.launch(targetPort);
		port = targetPort;
		readiness.await(started, targetPort, logOffset);
	}

	private static void writeConfig(Path file, String content) {
		try {
			Files.writeString(file, content);
		}
		catch (IOException e) {
			throw new UncheckedIOException("Could not write " + file, e);
		}
	}

	private void authenticate(RespClient client) throws IOException {
		String password = commandLine.password();
		if (password == null) {
			return;
		}
		RespClient.Reply reply = client.call("AUTH", password);
		if (reply.isError()) {
			throw new IllegalStateException("AUTH on " + this + " failed: " + reply.text());
		}
	}

	private Process requireRunning(String action) {
		Process current = process.current();
		if (current == null || !current.isAlive()) {
			throw new IllegalStateException("Cannot " + action + " " + this + ": it is not running");
		}
		return current;
	}

	/**
	 * Collects the settings of one server. Obtain one with {@link RedisServer#builder()}.
	 */
	public static final class Builder {

		private final List<String> args = new ArrayList<>();

		private int port;

		private Path binary;

		private TlsCertificates tls;

		private ConfigFile config;

		private Builder() {
		}

		/**
		 * Adds arguments passed to {@code redis-server} after the testkit's own, so they win:
		 * for example {@code args("--requirepass", "secret")}. Readiness checks and
		 * {@link RedisServer#flushAll()} use the plain-text port, so keep it enabled (for TLS use
		 * {@link #tls(TlsCertificates)}, which adds a TLS port beside it, rather than
		 * {@code --port 0}).
		 *
		 * @param args the arguments, each a separate element
		 * @return this builder
		 */
		public Builder args(String... args) {
			for (String arg : args) {
				this.args.add(Objects.requireNonNull(arg, "arg"));
			}
			return this;
		}

		/**
		 * Fixes the port; {@code 0}, the default, picks a free one.
		 *
		 * @param port a TCP port, or 0
		 * @return this builder
		 */
		public Builder port(int port) {
			if (port < 0 || port > 65_535) {
				throw new IllegalArgumentException("Port out of range: " + port);
			}
			this.port = port;
			return this;
		}

		/**
		 * Runs this executable instead of the one {@link RedisServerBinary#locate()} finds, for
		 * example {@link RedisServerBinary#bundled()} when the installed one lacks a feature.
		 *
		 * @param binary a {@code redis-server} executable
		 * @return this builder
		 */
		public Builder binary(Path binary) {
			this.binary = Objects.requireNonNull(binary, "binary");
			return this;
		}

		/**
		 * Also serves TLS on a second free port (see {@link RedisServer#tlsPort()}), with these
		 * certificates and without asking clients for theirs. The plain-text port stays open for
		 * the testkit's own checks. Starting fails, with a message that says so, if the binary
		 * cannot serve TLS.
		 *
		 * @param certificates for example {@link TlsCertificates#generate(Path)}
		 * @return this builder
		 */
		public Builder tls(TlsCertificates certificates) {
			this.tls = Objects.requireNonNull(certificates, "certificates");
			return this;
		}

		/**
		 * Writes a configuration file of this name and content into the server's scratch
		 * directory and passes it as the first argument, as a sentinel needs. The server may
		 * rewrite it, and a restart reads it back.
		 */
		Builder configFile(String name, String content) {
			this.config = new ConfigFile(Objects.requireNonNull(name, "name"), Objects.requireNonNull(content, "content"));
			return this;
		}

		/**
		 * Starts the server and waits until it answers {@code PING}. A TLS server whose binary
		 * was picked for it (not set with {@link #binary}) may have been built without TLS:
		 * the binary bundled with the testkit, which has it, is then tried instead.
		 *
		 * @return the running server
		 * @throws IllegalStateException if it does not start; the message ends with its log
		 */
		public RedisServer start() {
			try {
				return RedisServer.start(List.copyOf(args), port, binary, tls, config);
			}
			catch (IllegalStateException ex) {
				if (tls == null || binary != null) {
					throw ex;
				}
				Path located = RedisServerBinary.locate();
				try {
					Path bundled = RedisServerBinary.bundled();
					if (!bundled.equals(located)) {
						return RedisServer.start(List.copyOf(args), port, bundled, tls, config);
					}
				}
				catch (IllegalStateException fallback) {
					ex.addSuppressed(fallback);
				}
				throw new IllegalStateException("No redis-server that serves TLS was found: " + located
						+ " could not (see the cause). Install a TLS-capable one (Debian's redis-server package is) "
						+ "or set REDLOCK_REDIS_SERVER to one.", ex);
			}
		}
	}

	private record ConfigFile(String name, String content) {
	}
}
