package dev.redlock.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisServerBinaryTest {

	private static String platformResource() {
		return RedisServerBinary.resourceName(System.getProperty("os.name"), System.getProperty("os.arch"));
	}

	@Test
	void locatesAnExecutableOnceAndForAll() {
		Path binary = RedisServerBinary.locate();

		assertThat(binary).isAbsolute().isRegularFile().isExecutable();
		assertThat(RedisServerBinary.locate()).isSameAs(binary);
	}

	@Test
	void mapsSupportedPlatformsToBundledBinaries() {
		assertThat(RedisServerBinary.resourceName("Linux", "amd64")).isEqualTo("redis-server-6.2.6-v5-linux-amd64");
		assertThat(RedisServerBinary.resourceName("Linux", "x86_64")).isEqualTo("redis-server-6.2.6-v5-linux-amd64");
		assertThat(RedisServerBinary.resourceName("Linux", "aarch64")).isEqualTo("redis-server-6.2.7-linux-arm64");
		assertThat(RedisServerBinary.resourceName("Mac OS X", "x86_64")).isEqualTo("redis-server-6.2.6-v5-darwin-amd64");
		assertThat(RedisServerBinary.resourceName("Mac OS X", "aarch64")).isEqualTo("redis-server-6.2.6-v5-darwin-arm64");
	}

	@Test
	void namesTheEnvironmentVariableOnUnsupportedPlatforms() {
		assertThatThrownBy(() -> RedisServerBinary.resourceName("Windows 11", "amd64"))
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("REDLOCK_REDIS_SERVER");
		assertThatThrownBy(() -> RedisServerBinary.resourceName("Linux", "s390x"))
				.hasMessageContaining("REDLOCK_REDIS_SERVER");
	}

	@Test
	void extractsTheBundledBinaryAsRedisServer() {
		Path extracted = RedisServerBinary.extract(platformResource());

		assertThat(extracted).isExecutable().hasFileName("redis-server");
		assertThat(extracted.getParent())
				.isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "redlock-testkit", platformResource()));
		assertThat(RedisServerBinary.extract(platformResource())).isEqualTo(extracted);
	}

	@Test
	void prefersTheEnvironmentVariableThenTheBundledBinaryOverThePath(@TempDir Path directory) throws IOException {
		Path onPath = executable(directory.resolve("bin").resolve("redis-server"));
		Path custom = executable(directory.resolve("custom-redis"));
		String searchPath = directory.resolve("missing") + File.pathSeparator + onPath.getParent();
		Path bundled = RedisServerBinary.extract(platformResource());

		assertThat(RedisServerBinary.resolve(custom.toString(), searchPath)).isEqualTo(custom);
		// An installed redis-server (Debian's 7.0, say) must not change what every test runs.
		assertThat(RedisServerBinary.resolve(null, searchPath)).isEqualTo(bundled);
		assertThat(RedisServerBinary.resolve("  ", searchPath)).isEqualTo(bundled);
		assertThat(RedisServerBinary.resolve(null, directory.resolve("missing").toString())).isEqualTo(bundled);
		assertThat(RedisServerBinary.findOnPath(searchPath)).contains(onPath);
	}

	@Test
	void rejectsAnEnvironmentVariableThatNamesNoExecutable(@TempDir Path directory) throws IOException {
		Path notExecutable = Files.createFile(directory.resolve("redis-server"));

		assertThatThrownBy(() -> RedisServerBinary.resolve(notExecutable.toString(), null))
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("REDLOCK_REDIS_SERVER");
		assertThatThrownBy(() -> RedisServerBinary.resolve(directory.resolve("absent").toString(), null))
				.hasMessageContaining("REDLOCK_REDIS_SERVER");
	}

	private static Path executable(Path file) throws IOException {
		Files.createDirectories(file.getParent());
		Files.writeString(file, "#!/bin/sh\n");
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
		return file;
	}
}
