package dev.redlock.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@link RedisServer.Builder} does: collects the settings of one server and starts it.
 *
 * <p>It lives apart from {@link RedisServer} so that the server's file is about a server, yet
 * users keep writing {@code RedisServer.Builder}, its only subclass, whose name is public API.
 * Its public methods show in the Javadoc as that class's own.
 */
abstract sealed class ServerBuilder permits RedisServer.Builder {

	private final List<String> args = new ArrayList<>();

	private int port;

	private Path binary;

	private TlsCertificates tls;

	private ConfigFile config;

	ServerBuilder() {
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
	public RedisServer.Builder args(String... args) {
		for (String arg : args) {
			this.args.add(Objects.requireNonNull(arg, "arg"));
		}
		return self();
	}

	/**
	 * Fixes the port; {@code 0}, the default, picks a free one.
	 *
	 * @param port a TCP port, or 0
	 * @return this builder
	 */
	public RedisServer.Builder port(int port) {
		if (port < 0 || port > 65_535) {
			throw new IllegalArgumentException("Port out of range: " + port);
		}
		this.port = port;
		return self();
	}

	/**
	 * Runs this executable instead of the one {@link RedisServerBinary#locate()} finds, for
	 * example {@link RedisServerBinary#bundled()} when the installed one lacks a feature.
	 *
	 * @param binary a {@code redis-server} executable
	 * @return this builder
	 */
	public RedisServer.Builder binary(Path binary) {
		this.binary = Objects.requireNonNull(binary, "binary");
		return self();
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
	public RedisServer.Builder tls(TlsCertificates certificates) {
		this.tls = Objects.requireNonNull(certificates, "certificates");
		return self();
	}

	/**
	 * Writes a configuration file of this name and content into the server's scratch
	 * directory and passes it as the first argument, as a sentinel needs. The server may
	 * rewrite it, and a restart reads it back.
	 */
	RedisServer.Builder configFile(String name, String content) {
		this.config = new ConfigFile(name, content);
		return self();
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
			return startWith((binary != null) ? binary : RedisServerBinary.locate());
		}
		catch (IllegalStateException ex) {
			if (tls == null || binary != null) {
				throw ex;
			}
			Path located = RedisServerBinary.locate();
			try {
				Path bundled = RedisServerBinary.bundled();
				if (!bundled.equals(located)) {
					return startWith(bundled);
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

	/** A fresh scratch directory each time, so that a failed first try leaves nothing behind. */
	private RedisServer startWith(Path executable) {
		Path workDirectory = ProcessReaper.createWorkDirectory("redis-");
		RedisServer server;
		try {
			Path configFile = (config != null) ? config.writeInto(workDirectory) : null;
			server = new RedisServer(new ServerCommandLine(executable, List.copyOf(args), TlsPort.pick(tls),
					workDirectory, configFile));
		}
		catch (RuntimeException | Error e) {
			TempDirectories.deleteRecursively(workDirectory);
			throw e;
		}
		try {
			server.lifecycle().launchOnFirstFreePort(port);
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

	/** Safe: the only subclass is {@link RedisServer.Builder}. */
	private RedisServer.Builder self() {
		return (RedisServer.Builder) this;
	}
}
