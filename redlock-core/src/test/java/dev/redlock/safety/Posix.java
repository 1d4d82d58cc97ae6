package dev.redlock.safety;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.util.concurrent.TimeUnit;

/** Signals the JDK cannot send: SIGSTOP and SIGCONT, through the shell's own {@code kill}. */
final class Posix {

	private Posix() {
	}

	/** Sends {@code signal} (a name such as {@code STOP}) to {@code pid}, or fails. */
	static void signal(String signal, long pid) {
		try {
			Process kill = new ProcessBuilder("sh", "-c", "kill -s " + signal + " \"$1\"", "kill", Long.toString(pid))
				.redirectOutput(Redirect.DISCARD)
				.redirectError(Redirect.DISCARD)
				.start();
			kill.getOutputStream().close();
			if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
				kill.destroyForcibly();
				throw new IllegalStateException("Could not send SIG" + signal + " to " + pid);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while sending SIG" + signal + " to " + pid, ex);
		}
	}

}
