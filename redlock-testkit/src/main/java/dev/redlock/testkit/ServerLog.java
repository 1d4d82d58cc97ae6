package dev.redlock.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The file that collects a server's output across restarts. Each start remembers where the file
 * ended, so that a failure message quotes what that start wrote and not an earlier one's.
 */
final class ServerLog {

	private static final int TAIL_LINES = 20;

	private final Path file;

	ServerLog(Path file) {
		this.file = file;
	}

	Path file() {
		return file;
	}

	/** {@return where the next start's output begins; 0 if there is no file yet or it cannot be read} */
	long size() {
		try {
			return Files.exists(file) ? Files.size(file) : 0;
		}
		catch (IOException e) {
			return 0;
		}
	}

	/** {@return what was written from {@code offset} on; empty if it cannot be read} */
	String since(long offset) {
		try (InputStream in = Files.newInputStream(file)) {
			in.skipNBytes(offset);
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException e) {
			return "";
		}
	}

	/** {@return the end of a failure message: the last non-blank lines of {@code log}, or that there are none} */
	String tail(String log) {
		List<String> lines = Arrays.stream(log.split("\\R")).filter(line -> !line.isBlank()).toList();
		if (lines.isEmpty()) {
			return " (" + file + " is empty)";
		}
		List<String> tail = lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
		return ". Last lines of " + file + ":\n" + String.join("\n", tail);
	}
}
