package dev.redlock.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Talks to servers and inspects processes the way a test needs to, independently of the code under test. */
final class Probes {

	static final Duration TIMEOUT = Duration.ofSeconds(2);

	private Probes() {
	}

	/** Sends one command on a fresh connection and returns the reply as type character plus text, e.g. "+PONG". */
	static String call(RedisServer server, String... command) {
		return call(server, TIMEOUT, command);
	}

	static String call(RedisServer server, Duration timeout, String... command) {
		try (RespClient client = RespClient.connect(server.host(), server.port(), timeout)) {
			return client.call(command).toString();
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	static String ping(RedisServer server) {
		return call(server, "PING");
	}

	/**
	 * Whether a process has ended. A killed process whose parent has not reaped it yet is a zombie,
	 * which {@link ProcessHandle#isAlive()} still reports as alive, so {@code ps} settles that case.
	 */
	static boolean isGone(long pid) {
		if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
			return processState(pid).startsWith("Z");
		}
		return true;
	}

	private static String processState(long pid) {
		try {
			Process ps = new ProcessBuilder("ps", "-o", "stat=", "-p", Long.toString(pid))
					.redirectErrorStream(true)
					.start();
			ps.getOutputStream().close();
			String output = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			ps.waitFor(5, TimeUnit.SECONDS);
			return output;
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}
}
