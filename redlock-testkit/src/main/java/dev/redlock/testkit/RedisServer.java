package dev.redlock.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

	private static final String HOST = "127.0.0.1";
	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);
	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
	private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);
	/** A JVM's first TLS handshake loads and warms up a lot of code. */
	private static final Duration TLS_PROBE_TIMEOUT = Duration.ofSeconds(3);
	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
	private static final long PROBE_INTERVAL_MILLIS = 20;
	private static final int BIND_ATTEMPTS = 5;
	private static final int LOG_TAIL_LINES = 20;
	private static final String PORT_IN_USE = "Address already in use";
	private static final Pattern PROCESS_ID = Pattern.compile("(?m)^process_id:(\\d+)");

	private final Path binary;
	private final List<String> extraArgs;
	private final String password;
	private final TlsCertificates tls;
	/** The TLS port, chosen once so that it too survives restarts; 0 without TLS. */
	private final int tlsPort;
	private final Path workDirectory;
	private final Path logFile;

	private volatile int port;
	private volatile Process process;
	private volatile boolean paused;
	/** Guarded by {@code this}. */
	private boolean closed;

	private RedisServer(Path binary, List<String> extraArgs, TlsCertificates tls, Path workDirectory) {
		this.binary = binary;
		this.extraArgs = extraArgs;
		this.password = requirePass(extraArgs);
		this.tls = tls;
		this.tlsPort = (tls != null) ? FreePorts.pick(HOST) : 0;
		this.workDirectory = workDirectory;
		this.logFile = workDirectory.resolve("redis.log");
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

	private static RedisServer start(List<String> extraArgs, int requestedPort, Path binary, TlsCertificates tls) {
		RedisServer server = new RedisServer((binary != null) ? binary : RedisServerBinary.locate(), extraArgs, tls,
				ProcessReaper.createWorkDirectory("redis-"));
		try {
			server.launchOnFirstFreePort(requestedPort);
			return server;
		} catch (RuntimeException | Error e) {
			try {
				server.close();
			} catch (RuntimeException closeFailure) {
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
		if (tls == null) {
			throw new IllegalStateException(this + " was started without TLS: use RedisServer.builder().tls(...)");
		}
		return tlsPort;
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
		return binary;
	}

	/** {@return the operating-system pid of the most recently started process, whether or not it still runs} */
	public long pid() {
		Process current = process;
		return current == null ? -1 : current.pid();
	}

	/** {@return whether the process is alive; a paused process is alive} */
	public boolean isRunning() {
		Process current = process;
		return current != null && current.isAlive();
	}

	/** {@return whether the process is alive and stopped by {@link #pause()}} */
	public boolean isPaused() {
		return paused && isRunning();
	}

	/**
	 * Shuts the server down gracefully ({@code SIGTERM}) and waits for it to exit, resuming it
	 * first if paused. Falls back to {@code SIGKILL} if it has not exited after 10 seconds.
	 * Does nothing if it is not running.
	 */
	public synchronized void stop() {
		terminate(false);
	}

	/**
	 * Kills the server abruptly ({@code SIGKILL}), as a crashed node, and waits for it to exit.
	 * Does nothing if it is not running.
	 */
	public synchronized void kill() {
		terminate(true);
	}

	/**
	 * Freezes the server with {@code SIGSTOP}: connections stay open and commands time out
	 * instead of failing. Does nothing if already paused.
	 *
	 * @throws IllegalStateException if the server is not running or the signal cannot be sent
	 */
	public synchronized void pause() {
		Process current = requireRunning("pause");
		if (paused) {
			return;
		}
		signal("STOP", current);
		paused = true;
	}

	/**
	 * Lets a paused server run again with {@code SIGCONT}; commands sent meanwhile are then
	 * answered. Does nothing if it is not paused.
	 *
	 * @throws IllegalStateException if the signal cannot be sent
	 */
	public synchronized void resume() {
		Process current = process;
		if (!paused || current == null) {
			return;
		}
		if (current.isAlive()) {
			signal("CONT", current);
		}
		paused = false;
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
		terminate(false);
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
		} catch (IOException e) {
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
			terminate(true);
		} finally {
			TempDirectories.deleteRecursively(workDirectory);
		}
	}

	/** Shows the address and pid only: extra arguments may hold passwords. */
	@Override
	public String toString() {
		return "RedisServer[" + HOST + ":" + port + ", pid " + pid() + "]";
	}

	/** The file that collects the process's output, across restarts. */
	Path logFile() {
		return logFile;
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
			} catch (PortInUseException e) {
				lastFailure = e;
			}
		}
		throw lastFailure;
	}

	private synchronized void launch(int targetPort) {
		long logOffset = size(logFile);
		List<String> command = new ArrayList<>(List.of(binary.toString(),
				"--port", Integer.toString(targetPort),
				"--bind", HOST,
				"--save", "",
				"--appendonly", "no",
				"--dir", workDirectory.toString(),
				"--daemonize", "no",
				"--loglevel", "warning"));
		if (tls != null) {
			command.addAll(List.of("--tls-port", Integer.toString(tlsPort),
					"--tls-cert-file", tls.certificate().toString(),
					"--tls-key-file", tls.privateKey().toString(),
					"--tls-ca-cert-file", tls.caCertificate().toString(),
					"--tls-auth-clients", "no"));
		}
		command.addAll(extraArgs);
		Process started;
		try {
			started = new ProcessBuilder(command)
					.directory(workDirectory.toFile())
					.redirectErrorStream(true)
					.redirectOutput(Redirect.appendTo(logFile.toFile()))
					.start();
		} catch (IOException e) {
			throw new UncheckedIOException("Could not run " + binary, e);
		}
		try {
			ProcessReaper.register(started);
			started.getOutputStream().close();
		} catch (IOException | RuntimeException e) {
			started.destroyForcibly();
			throw new IllegalStateException("Could not set up " + binary + " (pid " + started.pid() + ")", e);
		}
		process = started;
		port = targetPort;
		paused = false;
		awaitReady(started, logOffset);
	}

	private void awaitReady(Process started, long logOffset) {
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		boolean sawOtherServer = false;
		while (true) {
			if (!started.isAlive()) {
				ProcessReaper.unregister(started);
				String log = logSince(logOffset);
				String message = "redis-server exited with code " + started.exitValue() + " while starting on "
						+ HOST + ":" + port + logTail(log);
				if (log.contains(PORT_IN_USE)) {
					throw new PortInUseException(message);
				}
				throw new IllegalStateException(message);
			}
			Probe probe = probe(started.pid());
			if (probe == Probe.READY) {
				awaitTls(started, deadline, logOffset);
				return;
			}
			sawOtherServer |= probe == Probe.OTHER_SERVER;
			if (System.nanoTime() - deadline > 0) {
				destroyAndWait(started);
				throw new IllegalStateException("redis-server (pid " + started.pid() + ") did not answer on "
						+ HOST + ":" + port + " within " + STARTUP_TIMEOUT.toSeconds() + " s"
						+ (sawOtherServer ? "; another server answers on that port" : "")
						+ logTail(logSince(logOffset)));
			}
			sleep(PROBE_INTERVAL_MILLIS);
		}
	}

	private enum Probe { NOT_YET, READY, OTHER_SERVER }

	/**
	 * Checks that the TLS port completes a handshake with the certificate it was given and
	 * answers PING: a binary built without TLS support may start, yet never speak TLS.
	 */
	private void awaitTls(Process started, long deadline, long logOffset) {
		if (tls == null) {
			return;
		}
		Exception lastFailure;
		do {
			try (RespClient client = RespClient.connectTls(HOST, tlsPort, TLS_PROBE_TIMEOUT, tls.clientContext())) {
				if (password != null) {
					client.call("AUTH", password);
				}
				RespClient.Reply ping = client.call("PING");
				// NOAUTH: users set up in the arguments that the testkit cannot log in as; the
				// handshake and an answer in RESP show that TLS works all the same.
				if ("PONG".equals(ping.text()) || (ping.isError() && ping.text().startsWith("NOAUTH"))) {
					return;
				}
				lastFailure = new IOException("PING over TLS was answered with " + ping);
			} catch (ConnectException e) {
				// Redis listens on all its ports before it answers on any: nothing will come.
				lastFailure = e;
				break;
			} catch (IOException e) {
				lastFailure = e;
			}
			sleep(PROBE_INTERVAL_MILLIS);
		} while (System.nanoTime() - deadline < 0 && started.isAlive());
		destroyAndWait(started);
		ProcessReaper.unregister(started);
		throw new IllegalStateException(binary + " (pid " + started.pid() + ") does not serve TLS on " + HOST + ":"
				+ tlsPort + " (" + lastFailure + "). It may be built without TLS support: install a TLS-capable"
				+ " redis-server (Debian's is), or point REDLOCK_REDIS_SERVER at one" + logTail(logSince(logOffset)),
				lastFailure);
	}

	/**
	 * Checks that our process, not merely some server, answers on the port: another process may
	 * hold the port for the instant before our redis-server fails to bind it.
	 */
	private Probe probe(long expectedPid) {
		try (RespClient client = RespClient.connect(HOST, port, PROBE_TIMEOUT)) {
			if (password != null && client.call("AUTH", password).isError()) {
				return Probe.OTHER_SERVER;
			}
			RespClient.Reply ping = client.call("PING");
			if (ping.isError()) {
				// NOAUTH: a password we do not know was set (an ACL file, say). It is up, but
				// whose it is cannot be checked; the liveness check before each probe has to do.
				return ping.text().startsWith("NOAUTH") ? Probe.READY : Probe.NOT_YET;
			}
			if (!"PONG".equals(ping.text())) {
				return Probe.NOT_YET;
			}
			RespClient.Reply info = client.call("INFO", "server");
			Matcher matcher = PROCESS_ID.matcher(info.isError() || info.text() == null ? "" : info.text());
			if (!matcher.find()) {
				return Probe.READY;
			}
			return Long.parseLong(matcher.group(1)) == expectedPid ? Probe.READY : Probe.OTHER_SERVER;
		} catch (IOException e) {
			return Probe.NOT_YET;
		}
	}

	private void authenticate(RespClient client) throws IOException {
		if (password == null) {
			return;
		}
		RespClient.Reply reply = client.call("AUTH", password);
		if (reply.isError()) {
			throw new IllegalStateException("AUTH on " + this + " failed: " + reply.text());
		}
	}

	private void terminate(boolean forcibly) {
		Process current = process;
		if (current == null) {
			return;
		}
		if (current.isAlive()) {
			// A stopped process would not act on SIGTERM until continued. Best effort: should
			// SIGCONT fail, the SIGKILL fallback still ends a stopped process.
			if (paused) {
				Signals.send("CONT", List.of(current.pid()));
			}
			if (forcibly) {
				destroyAndWait(current);
			} else {
				current.destroy();
				if (!waitFor(current, STOP_TIMEOUT)) {
					destroyAndWait(current);
				}
			}
		}
		paused = false;
		ProcessReaper.unregister(current);
	}

	private static void destroyAndWait(Process victim) {
		victim.destroyForcibly();
		if (!waitFor(victim, STOP_TIMEOUT)) {
			throw new IllegalStateException("redis-server (pid " + victim.pid() + ") survived SIGKILL for "
					+ STOP_TIMEOUT.toSeconds() + " s");
		}
	}

	private static boolean waitFor(Process target, Duration timeout) {
		try {
			return target.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for redis-server (pid "
					+ target.pid() + ") to exit", e);
		}
	}

	private void signal(String name, Process target) {
		if (!Signals.send(name, List.of(target.pid()))) {
			throw new IllegalStateException("Could not send SIG" + name + " to " + this);
		}
	}

	private Process requireRunning(String action) {
		Process current = process;
		if (current == null || !current.isAlive()) {
			throw new IllegalStateException("Cannot " + action + " " + this + ": it is not running");
		}
		return current;
	}

	private static String requirePass(List<String> args) {
		String found = null;
		for (int i = 0; i + 1 < args.size(); i++) {
			// redis-server applies the last occurrence of an option.
			if (args.get(i).equals("--requirepass")) {
				found = args.get(i + 1);
			}
		}
		return found;
	}

	private static long size(Path file) {
		try {
			return Files.exists(file) ? Files.size(file) : 0;
		} catch (IOException e) {
			return 0;
		}
	}

	private String logSince(long offset) {
		try (InputStream in = Files.newInputStream(logFile)) {
			in.skipNBytes(offset);
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		} catch (IOException e) {
			return "";
		}
	}

	private String logTail(String log) {
		List<String> lines = Arrays.stream(log.split("\\R")).filter(line -> !line.isBlank()).toList();
		if (lines.isEmpty()) {
			return " (" + logFile + " is empty)";
		}
		List<String> tail = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
		return ". Last lines of " + logFile + ":\n" + String.join("\n", tail);
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for redis-server to start", e);
		}
	}

	/** Signals a bind failure, which a retry on another port can fix. */
	private static final class PortInUseException extends IllegalStateException {

		private static final long serialVersionUID = 1L;

		PortInUseException(String message) {
			super(message);
		}
	}

	/**
	 * Collects the settings of one server. Obtain one with {@link RedisServer#builder()}.
	 */
	public static final class Builder {

		private final List<String> args = new ArrayList<>();
		private int port;
		private Path binary;
		private TlsCertificates tls;

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
		 * Starts the server and waits until it answers {@code PING}. A TLS server whose binary
		 * was picked for it (not set with {@link #binary}) may have been built without TLS:
		 * the binary bundled with the testkit, which has it, is then tried instead.
		 *
		 * @return the running server
		 * @throws IllegalStateException if it does not start; the message ends with its log
		 */
		public RedisServer start() {
			try {
				return RedisServer.start(List.copyOf(args), port, binary, tls);
			} catch (IllegalStateException ex) {
				if (tls == null || binary != null) {
					throw ex;
				}
				Path located = RedisServerBinary.locate();
				try {
					Path bundled = RedisServerBinary.bundled();
					if (!bundled.equals(located)) {
						return RedisServer.start(List.copyOf(args), port, bundled, tls);
					}
				} catch (IllegalStateException fallback) {
					ex.addSuppressed(fallback);
				}
				throw new IllegalStateException("No redis-server that serves TLS was found: " + located
						+ " could not (see the cause). Install a TLS-capable one (Debian's redis-server package is) "
						+ "or set REDLOCK_REDIS_SERVER to one.", ex);
			}
		}
	}
}
