package dev.redlock.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Scratch directories under {@code java.io.tmpdir}. */
final class TempDirectories {

	/** Enough for entries made while a pass ran (the last pid file of a starting server). */
	private static final int DELETE_PASSES = 3;

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

	/**
	 * Deletes {@code root} and everything under it, as far as possible, without throwing.
	 * Entries that other threads delete meanwhile (the pid files of servers just killed) are
	 * skipped, not taken as a reason to stop.
	 */
	static void deleteRecursively(Path root) {
		for (int pass = 0; pass < DELETE_PASSES && Files.exists(root); pass++) {
			try {
				Files.walkFileTree(root, new Deleting());
			}
			catch (IOException ignored) {
				// Left-overs under java.io.tmpdir are not worth failing a test run for.
			}
		}
	}

	private static final class Deleting extends SimpleFileVisitor<Path> {

		@Override
		public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
			deleteQuietly(file);
			return FileVisitResult.CONTINUE;
		}

		@Override
		public FileVisitResult visitFileFailed(Path file, IOException e) {
			// Gone since its directory was listed; anything else is retried by the next pass.
			return FileVisitResult.CONTINUE;
		}

		@Override
		public FileVisitResult postVisitDirectory(Path directory, IOException e) {
			deleteQuietly(directory);
			return FileVisitResult.CONTINUE;
		}
	}

	private static void deleteQuietly(Path path) {
		try {
			Files.deleteIfExists(path);
		}
		catch (IOException ignored) {
			// Gone meanwhile, or a directory that got a new entry: the next pass takes it.
		}
	}
}
