package dev.redlock.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

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

	// What the server is (address, URIs, process) and the commands the testkit sends it. Starting
	// is ServerBuilder's; stopping, killing, pausing and restarting are ServerLifecycle's, which
	// serialises them.

	static final String HOST = "127.0.0.1";

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

	private final ServerCommandLine commandLine;

	private final ServerLog log;

	private final ServerLifecycle lifecycle;

	/** Not running yet: {@link ServerBuilder} launches it. */
	RedisServer(ServerCommandLine commandLine) {
		this.commandLine = commandLine;
		this.log = new ServerLog(commandLine.workDirectory().resolve("redis.log"));
		this.lifecycle = new ServerLifecycle(this, commandLine, this.log);
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

	/** {@return the address the server listens on: always {@code "127.0.0.1"}} */
	public String host() {
		return HOST;
	}

	/** {@return the TCP port, which stays the same across {@link #restart()}} */
	public int port() {
		return lifecycle.port();
	}

	/** {@return the URI clients connect to, {@code redis://127.0.0.1:<port>}, without any password} */
	public String uri() {
		return "redis://" + HOST + ":" + port();
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
		return lifecycle.pid();
	}

	/** {@return whether the process is alive; a paused process is alive} */
	public boolean isRunning() {
		return lifecycle.isRunning();
	}

	/** {@return whether the process is alive and stopped by {@link #pause()}} */
	public boolean isPaused() {
		return lifecycle.isPaused();
	}

	/**
	 * Shuts the server down gracefully ({@code SIGTERM}) and waits for it to exit, resuming it
	 * first if paused. Falls back to {@code SIGKILL} if it has not exited after 10 seconds.
	 * Does nothing if it is not running.
	 */
	public void stop() {
		lifecycle.stop();
	}

	/**
	 * Kills the server abruptly ({@code SIGKILL}), as a crashed node, and waits for it to exit.
	 * Does nothing if it is not running.
	 */
	public void kill() {
		lifecycle.kill();
	}

	/**
	 * Freezes the server with {@code SIGSTOP}: connections stay open and commands time out
	 * instead of failing. Does nothing if already paused.
	 *
	 * @throws IllegalStateException if the server is not running or the signal cannot be sent
	 */
	public void pause() {
		lifecycle.pause();
	}

	/**
	 * Lets a paused server run again with {@code SIGCONT}; commands sent meanwhile are then
	 * answered. Does nothing if it is not paused.
	 *
	 * @throws IllegalStateException if the signal cannot be sent
	 */
	public void resume() {
		lifecycle.resume();
	}

	/**
	 * Starts a fresh, empty process on the same port with the same arguments and waits until it
	 * answers, stopping the current one gracefully first if it still runs.
	 *
	 * @throws IllegalStateException if the server was closed, or the new process does not start
	 *     (for instance because something else took the port meanwhile)
	 */
	public void restart() {
		lifecycle.restart();
	}

	/**
	 * Deletes every key in every database ({@code FLUSHALL}), authenticating first when the server
	 * was started with {@code --requirepass}.
	 *
	 * @throws IllegalStateException if the server is not running, is paused, or refuses
	 * @throws UncheckedIOException if the server cannot be reached
	 */
	public void flushAll() {
		lifecycle.requireRunning("flush");
		if (isPaused()) {
			throw new IllegalStateException("Cannot flush " + this + ": it is paused");
		}
		RespClient.Reply reply = call("FLUSHALL");
		if (reply.isError()) {
			throw new IllegalStateException("FLUSHALL on " + this + " failed: " + reply.text());
		}
	}

	/**
	 * Kills the process and deletes its scratch directory. Calling it again does nothing; the
	 * server cannot be restarted afterwards.
	 */
	@Override
	public void close() {
		lifecycle.close();
	}

	/**
	 * Sends one command on a fresh connection, logging in first when the server was started with
	 * {@code --requirepass}, and returns the reply, errors included.
	 *
	 * @throws UncheckedIOException if the server cannot be reached or does not answer in 5 s
	 * @throws IllegalStateException if the server refuses the password
	 */
	RespClient.Reply call(String... command) {
		try (RespClient client = RespClient.connect(HOST, port(), COMMAND_TIMEOUT)) {
			String password = commandLine.password();
			if (password != null) {
				RespClient.Reply auth = client.call("AUTH", password);
				if (auth.isError()) {
					throw new IllegalStateException("AUTH on " + this + " failed: " + auth.text());
				}
			}
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

	/** The file that collects the process's output, across restarts. */
	Path logFile() {
		return log.file();
	}

	ServerLifecycle lifecycle() {
		return lifecycle;
	}

	/** Shows the address and pid only: extra arguments may hold passwords. */
	@Override
	public String toString() {
		return "RedisServer[" + HOST + ":" + port() + ", pid " + pid() + "]";
	}

	/**
	 * Collects the settings of one server. Obtain one with {@link RedisServer#builder()}.
	 */
	public static final class Builder extends ServerBuilder {

		// Its methods are in the package-private superclass, to keep this file about the server.
		private Builder() {
		}
	}
}
