package dev.redlock.testkit;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sends POSIX signals that {@link Process} cannot send itself ({@code SIGSTOP}, {@code SIGCONT}).
 *
 * <p>Goes through the shell's built-in {@code kill} rather than {@code /bin/kill}: every machine
 * that can run the watchdog has {@code sh}, while minimal images do not always ship the
 * stand-alone binary.
 */
final class Signals {

	private static final long TIMEOUT_SECONDS = 5;

	private Signals() {
	}

	/**
	 * Sends {@code signal} (a name such as {@code STOP}) to every pid.
	 *
	 * @return whether {@code kill} reported success for all of them
	 */
	static boolean send(String signal, Collection<Long> pids) {
		if (pids.isEmpty()) {
			return true;
		}
		List<String> command = new ArrayList<>(List.of("sh", "-c", "kill -s " + signal + " \"$@\"", "kill"));
		pids.forEach(pid -> command.add(Long.toString(pid)));
		try {
			Process kill = new ProcessBuilder(command)
					.redirectOutput(Redirect.DISCARD)
					.redirectError(Redirect.DISCARD)
					.start();
			kill.getOutputStream().close();
			if (!kill.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
				kill.destroyForcibly();
				return false;
			}
			return kill.exitValue() == 0;
		}
		catch (IOException e) {
			return false;
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return false;
		}
	}
}
