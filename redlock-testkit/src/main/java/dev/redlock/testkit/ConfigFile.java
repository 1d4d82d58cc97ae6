package dev.redlock.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A configuration file a server reads at start, written into its scratch directory: a sentinel
 * needs one, since it rewrites it with what it learns, and a restart reads that back.
 *
 * @param name the file name, inside the scratch directory
 * @param content the initial content
 */
record ConfigFile(String name, String content) {

	ConfigFile {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(content, "content");
	}

	/** {@return the file in {@code directory}, written} */
	Path writeInto(Path directory) {
		Path file = directory.resolve(name);
		try {
			return Files.writeString(file, content);
		}
		catch (IOException e) {
			throw new UncheckedIOException("Could not write " + file, e);
		}
	}
}
