package dev.redlock.safety;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import dev.redlock.Lock;
import dev.redlock.Redlock;
import dev.redlock.RedlockException;

/**
 * A lock holder in a JVM of its own, for {@link PausedHolderTests} to freeze with SIGSTOP the
 * way a long garbage-collection pause would. It takes a lock with automatic extension and
 * prints {@code HELD <token>}; on the line {@code check} from its parent it reports what its
 * lock looks like now, then tries to extend it, releases it, and exits.
 *
 * <p>
 * Arguments: the nodes' URIs separated by commas, the resource, and the ttl in milliseconds.
 * It exits by itself after two minutes, whatever happens.
 */
public final class PausedHolderMain {

	private static final long LIFETIME_MILLIS = 120_000;

	private PausedHolderMain() {
	}

	public static void main(String[] args) throws Exception {
		Thread watchdog = new Thread(() -> {
			try {
				Thread.sleep(LIFETIME_MILLIS);
			}
			catch (InterruptedException ex) {
				return;
			}
			System.exit(3);
		}, "paused-holder-watchdog");
		watchdog.setDaemon(true);
		watchdog.start();

		try (Redlock redlock = Redlock.builder()
			.nodes(List.of(args[0].split(",")))
			.commandTimeout(Duration.ofMillis(250))
			.automaticExtensionThreshold(Duration.ofMillis(500))
			.build()) {
			Lock lock = redlock.acquire(args[1], Duration.ofMillis(Long.parseLong(args[2]))).autoExtend();
			lock.onLost((cause) -> report("LOST " + cause.getClass().getSimpleName()));
			report("HELD " + lock.value());
			BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
			String line;
			while ((line = in.readLine()) != null && !line.equals("check")) {
				// Only "check" means anything; the parent sends nothing else.
			}
			report("STATE held=" + lock.isHeld() + " remaining=" + lock.remainingValidity().toMillis());
			report("THROW-IF-LOST " + outcome(lock::throwIfLost));
			report("EXTEND " + outcome(() -> lock.extend(Duration.ofSeconds(30))));
			lock.release();
			report("RELEASED");
		}
		System.exit(0);
	}

	private static String outcome(Runnable action) {
		try {
			action.run();
			return "none";
		}
		catch (RedlockException ex) {
			return ex.getClass().getSimpleName();
		}
	}

	private static synchronized void report(String line) {
		System.out.println(line);
		System.out.flush();
	}

}
