package dev.redlock.testkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the {@code redis-server} executable the testkit runs.
 *
 * <p>In order of preference:
 * <ol>
 *   <li>the file named by the {@code REDLOCK_REDIS_SERVER} environment variable;</li>
 *   <li>the binary for this platform shipped inside the {@code com.github.codemonstur:embedded-redis}
 *       jar (Linux and macOS on x86-64 and ARM64), extracted once to
 *       {@code ${java.io.tmpdir}/redlock-testkit/<resource>/redis-server};</li>
 *   <li>{@code redis-server} on the {@code PATH}, on other platforms.</li>
 * </ol>
 * The shipped binary comes before the {@code PATH} so that every test runs the same Redis
 * (6.2) on every machine, whether or not one is installed: a test that needs another version
 * names its binary (see {@code RedisServer.Builder#binary}). The result is computed once per JVM.
 */
public final class RedisServerBinary {

	private static final String ENV_VARIABLE = "REDLOCK_REDIS_SERVER";

	private static final String EXECUTABLE_NAME = "redis-server";

	private static Path cached;

	private RedisServerBinary() {
	}

	/**
	 * Returns the {@code redis-server} executable to run: the environment variable's, else the
	 * one shipped in the {@code embedded-redis} jar (extracted on first use), else the
	 * {@code PATH}'s.
	 *
	 * @return an absolute path to an executable file
	 * @throws IllegalStateException if {@code REDLOCK_REDIS_SERVER} names no executable file, or no
	 *     binary is shipped for this platform and none is installed
	 * @throws UncheckedIOException if the shipped binary cannot be extracted
	 */
	public static synchronized Path locate() {
		if (cached == null) {
			cached = resolve(System.getenv(ENV_VARIABLE), System.getenv("PATH"));
		}
		return cached;
	}

	/**
	 * Returns the binary shipped in the {@code embedded-redis} jar for this platform, extracted
	 * on first use, whatever {@link #locate()} prefers. The Linux x86-64 build serves TLS (it
	 * links the system's OpenSSL 3), so it is a fallback when an installed binary does not.
	 *
	 * @return an absolute path to an executable file
	 * @throws IllegalStateException if no binary is shipped for this platform
	 * @throws UncheckedIOException if it cannot be extracted
	 */
	public static Path bundled() {
		return extract(resourceName(System.getProperty("os.name"), System.getProperty("os.arch")));
	}

	static Path resolve(String override, String searchPath) {
		if (override != null && !override.isBlank()) {
			Path path = Path.of(override).toAbsolutePath();
			if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
				throw new IllegalStateException(
						ENV_VARIABLE + " is set to '" + override + "', which is not an executable file");
			}
			return path;
		}
		String resource;
		try {
			resource = resourceName(System.getProperty("os.name"), System.getProperty("os.arch"));
		}
		catch (IllegalStateException noneShipped) {
			return findOnPath(searchPath).orElseThrow(() -> noneShipped);
		}
		return extract(resource);
	}

	static Optional<Path> findOnPath(String searchPath) {
		if (searchPath == null || searchPath.isBlank()) {
			return Optional.empty();
		}
		for (String directory : searchPath.split(File.pathSeparator)) {
			if (directory.isEmpty()) {
				continue;
			}
			Path candidate = Path.of(directory, EXECUTABLE_NAME);
			if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
				return Optional.of(candidate.toAbsolutePath());
			}
		}
		return Optional.empty();
	}

	/**
	 * Names the embedded-redis resource for a platform, as given by the {@code os.name} and
	 * {@code os.arch} system properties.
	 */
	static String resourceName(String osName, String osArch) {
		String os = osName == null ? "" : osName.toLowerCase(Locale.ROOT);
		String arch = osArch == null ? "" : osArch.toLowerCase(Locale.ROOT);
		boolean amd64 = arch.equals("amd64") || arch.equals("x86_64");
		boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
		if (os.contains("linux")) {
			if (amd64) {
				return "redis-server-6.2.6-v5-linux-amd64";
			}
			if (arm64) {
				return "redis-server-6.2.7-linux-arm64";
			}
		}
		else if (os.contains("mac") || os.contains("darwin")) {
			if (amd64) {
				return "redis-server-6.2.6-v5-darwin-amd64";
			}
			if (arm64) {
				return "redis-server-6.2.6-v5-darwin-arm64";
			}
		}
		throw new IllegalStateException("No bundled redis-server for " + osName + " on " + osArch
				+ ": install redis-server on the PATH or set " + ENV_VARIABLE + " to its location");
	}

	/**
	 * Copies a bundled binary out of the class path, unless an earlier run already did.
	 *
	 * <p>Several JVMs (parallel builds, forked test runners) may extract at the same moment, so
	 * each writes a private temporary file and renames it into place: the final path only ever
	 * holds a complete executable. The file is named exactly {@code redis-server} so that the
	 * processes show up as such in {@code ps} and {@code pgrep -x redis-server}.
	 */
	static Path extract(String resourceName) {
		Path directory = Path.of(System.getProperty("java.io.tmpdir"), "redlock-testkit", resourceName);
		Path target = directory.resolve(EXECUTABLE_NAME);
		if (Files.isRegularFile(target) && Files.isExecutable(target)) {
			return target;
		}
		Path partial = null;
		try (InputStream in = RedisServerBinary.class.getClassLoader().getResourceAsStream(resourceName)) {
			if (in == null) {
				throw new IllegalStateException("Resource " + resourceName
						+ " not found: put com.github.codemonstur:embedded-redis on the class path,"
						+ " install redis-server on the PATH, or set " + ENV_VARIABLE);
			}
			Files.createDirectories(directory);
			partial = Files.createTempFile(directory, EXECUTABLE_NAME + "-", ".part");
			Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
			makeExecutable(partial);
			moveIntoPlace(partial, target);
			return target;
		}
		catch (IOException e) {
			throw new UncheckedIOException("Could not extract " + resourceName + " to " + target, e);
		}
		finally {
			deleteQuietly(partial);
		}
	}

	private static void makeExecutable(Path file) throws IOException {
		try {
			Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
		}
		catch (UnsupportedOperationException e) {
			if (!file.toFile().setExecutable(true, false)) {
				throw new IOException("Could not make " + file + " executable", e);
			}
		}
	}

	private static void moveIntoPlace(Path partial, Path target) throws IOException {
		try {
			Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (AtomicMoveNotSupportedException e) {
			// Only on exotic file systems; the partial file is complete either way.
			Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException e) {
			// A concurrent extractor won the rename on a file system that refuses to replace.
			if (!Files.isExecutable(target)) {
				throw e;
			}
		}
	}

	private static void deleteQuietly(Path file) {
		if (file == null) {
			return;
		}
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ignored) {
			// A leftover .part file is harmless: the next extraction uses a fresh name.
		}
	}
}
