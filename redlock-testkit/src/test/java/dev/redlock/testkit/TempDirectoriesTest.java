package dev.redlock.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TempDirectoriesTest {

	private static final int ROUNDS = 40;

	private static final int FILES = 400;

	@TempDir
	Path parent;

	@Test
	void deletesATreeWhoseFilesAnotherThreadDeletesMeanwhile() throws Exception {
		// As in the shutdown hook: the pid files of killed servers go while the testkit directory goes.
		for (int round = 0; round < ROUNDS; round++) {
			Path root = Files.createDirectory(parent.resolve("round-" + round));
			List<Path> files = new ArrayList<>();
			for (int i = 0; i < FILES; i++) {
				files.add(Files.createFile(root.resolve(i + ".pid")));
			}
			Files.createDirectories(root.resolve("server-1").resolve("data"));
			CountDownLatch started = new CountDownLatch(1);
			CompletableFuture<Void> deletingFiles = CompletableFuture.runAsync(() -> {
				started.countDown();
				for (int i = files.size() - 1; i >= 0; i--) {
					try {
						Files.deleteIfExists(files.get(i));
					}
					catch (IOException ignored) {
						// Either thread may take a file: only the end result counts.
					}
				}
			});
			started.await();

			TempDirectories.deleteRecursively(root);
			deletingFiles.get(30, TimeUnit.SECONDS);

			assertThat(root).as("round %d", round).doesNotExist();
		}
	}

	@Test
	void deletingAMissingDirectoryDoesNothing() {
		Path missing = parent.resolve("missing");

		TempDirectories.deleteRecursively(missing);

		assertThat(missing).doesNotExist();
	}
}
