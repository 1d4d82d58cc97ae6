package dev.redlock.testkit;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Waits until a freshly launched redis-server answers, and turns every way it can fail to into
 * a message that ends with what the process logged.
 */
final class Readiness {

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);

	private static final long PROBE_INTERVAL_MILLIS = 20;

	private static final String PORT_IN_USE = "Address already in use";

	private static final Pattern PROCESS_ID = Pattern.compile("(?m)^process_id:(\\d+)");

	private final ServerCommandLine commandLine;

	private final ServerLog log;

	Readiness(ServerCommandLine commandLine, ServerLog log) {
		this.commandLine = commandLine;
		this.log = log;
	}

	/**
	 * Waits for {@code started} to answer PING on {@code port}, and on its TLS port if it has one.
	 * A process that fails is ended and no longer tracked by the {@link ProcessReaper}.
	 *
	 * @param logOffset where {@code started}'s output begins in the log
	 * @throws PortInUseException if it could not bind the port, which a retry on another can fix
	 * @throws IllegalStateException if it exits, does not answer in time or does not serve TLS
	 */
	void await(Process started, int port, long logOffset) {
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		boolean sawOtherServer = false;
		while (true) {
			if (!started.isAlive()) {
				ProcessReaper.unregister(started);
				String output = log.since(logOffset);
				String message = "redis-server exited with code " + started.exitValue() + " while starting on "
						+ RedisServer.HOST + ":" + port + log.tail(output);
				if (output.contains(PORT_IN_USE)) {
					throw new PortInUseException(message);
				}
				throw new IllegalStateException(message);
			}
			Probe probe = probe(port, started.pid());
			if (probe == Probe.READY) {
				awaitTls(started, deadline, logOffset);
				return;
			}
			sawOtherServer |= probe == Probe.OTHER_SERVER;
			if (System.nanoTime() - deadline > 0) {
				ServerProcess.destroyAndWait(started);
				throw new IllegalStateException("redis-server (pid " + started.pid() + ") did not answer on "
						+ RedisServer.HOST + ":" + port + " within " + STARTUP_TIMEOUT.toSeconds() + " s"
						+ (sawOtherServer ? "; another server answers on that port" : "")
						+ log.tail(log.since(logOffset)));
			}
			sleep(PROBE_INTERVAL_MILLIS);
		}
	}

	private enum Probe { NOT_YET, READY, OTHER_SERVER }

	/** A binary built without TLS support may start, yet never speak TLS. */
	private void awaitTls(Process started, long deadline, long logOffset) {
		TlsPort tls = commandLine.tls();
		if (tls == null) {
			return;
		}
		Exception lastFailure;
		do {
			try {
				tls.ping(commandLine.password());
				return;
			}
			catch (ConnectException e) {
				// Redis listens on all its ports before it answers on any: nothing will come.
				lastFailure = e;
				break;
			}
			catch (IOException e) {
				lastFailure = e;
			}
			sleep(PROBE_INTERVAL_MILLIS);
		}
		while (System.nanoTime() - deadline < 0 && started.isAlive());
		ServerProcess.destroyAndWait(started);
		ProcessReaper.unregister(started);
		throw new IllegalStateException(commandLine.binary() + " (pid " + started.pid() + ") does not serve TLS on "
				+ RedisServer.HOST + ":" + tls.port() + " (" + lastFailure + "). It may be built without TLS support:"
				+ " install a TLS-capable redis-server (Debian's is), or point REDLOCK_REDIS_SERVER at one"
				+ log.tail(log.since(logOffset)), lastFailure);
	}

	/**
	 * Checks that our process, not merely some server, answers on the port: another process may
	 * hold the port for the instant before our redis-server fails to bind it.
	 */
	private Probe probe(int port, long expectedPid) {
		String password = commandLine.password();
		try (RespClient client = RespClient.connect(RedisServer.HOST, port, PROBE_TIMEOUT)) {
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
		}
		catch (IOException e) {
			return Probe.NOT_YET;
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for redis-server to start", e);
		}
	}
}
