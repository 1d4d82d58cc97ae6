package dev.redlock.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Scratch directories under {@code java.io.tmpdir}. */
final class TempDirectories {

	private TempDirectories() {
	}

	static Path create(String prefix) {
		try {
			return Files.createTempDirectory(prefix);
		}
		catch (IOException e) {
			throw new UncheckedIOException("Could not create a temporary directory " + prefix + "*", e);
		}
	}

	/** Deletes {@code root} and everything under it, as far as possible, without throwing. */
	static void deleteRecursively(Path root) {
		if (!Files.exists(root)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(root)) {
			paths.sorted(Comparator.reverseOrder()).forEach(TempDirectories::deleteQuietly);
		}
		catch (IOException | UncheckedIOException ignored) {
			// Left-overs under java.io.tmpdir are not worth failing a test run for.
		}
	}

	private static void deleteQuietly(Path path) {
		try {
			Files.deleteIfExists(path);
		}
		catch (IOException ignored) {
			// See deleteRecursively.
		}
	}
}
