package dev.redlock.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import dev.redlock.testkit.RedisServerBinary;
import io.lettuce.core.resource.EpollProvider;

/**
 * What the numbers were taken on: cores, CPU, JDK, redis-server and library versions, and
 * the commit, so a reader can tell whether two reports compare.
 */
public record Machine(int cores, String cpu, String jdk, String redisServer, String commit,
		Map<String, String> libraries) {

	public static Machine describe() {
		Map<String, String> libraries = new LinkedHashMap<>();
		libraries.put("redlock-core", version("dev.redlock", "redlock-core"));
		libraries.put("redlock-spring-boot-starter", version("dev.redlock", "redlock-spring-boot-starter"));
		libraries.put("spring-boot", version("org.springframework.boot", "spring-boot"));
		libraries.put("lettuce-core", version("io.lettuce", "lettuce-core"));
		libraries.put("redisson", version("org.redisson", "redisson"));
		libraries.put("spring-integration-redis", version("org.springframework.integration", "spring-integration-redis"));
		libraries.put("spring-data-redis", version("org.springframework.data", "spring-data-redis"));
		libraries.put("netty", nettyVersion());
		libraries.put("Lettuce's transport", EpollProvider.isAvailable() ? "native epoll (NIO in the `-nio` rows)" : "NIO");
		libraries.put("jmh", version("org.openjdk.jmh", "jmh-core"));
		libraries.put("HdrHistogram", version("org.hdrhistogram", "HdrHistogram"));
		String jdk = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
		return new Machine(Runtime.getRuntime().availableProcessors(), cpuModel(), jdk, redisServerVersion(), gitCommit(),
				libraries);
	}

	private static String cpuModel() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
				if (line.startsWith("model name")) {
					return line.substring(line.indexOf(':') + 1).trim();
				}
			}
		}
		catch (IOException ex) {
			// Not Linux: say so below.
		}
		return System.getProperty("os.arch") + " (no /proc/cpuinfo)";
	}

	private static String redisServerVersion() {
		String binary = RedisServerBinary.locate().toString();
		String output = run(binary, "--version");
		// "Redis server v=6.2.11 sha=... malloc=... bits=64 build=..."
		int start = output.indexOf("v=");
		String version = (start >= 0) ? output.substring(start + 2).split(" ")[0] : output.trim();
		return version + " (" + binary + ")";
	}

	private static String gitCommit() {
		String head = run("git", "rev-parse", "--short", "HEAD").trim();
		if (head.isEmpty()) {
			return "unknown";
		}
		boolean dirty = !run("git", "status", "--porcelain", "--untracked-files=no").isBlank();
		return dirty ? head + " (with uncommitted changes)" : head;
	}

	/**
	 * Shading keeps the Maven coordinates of every dependency built with Maven under
	 * META-INF/maven; for the others the build recorded where their jar came from, and the
	 * local repository keeps each jar in a directory named after its version.
	 */
	private static String version(String group, String artifact) {
		Properties pom = load("/META-INF/maven/" + group + "/" + artifact + "/pom.properties");
		if (pom.getProperty("version") != null) {
			return pom.getProperty("version");
		}
		String jar = load("/library-jars.properties").getProperty(artifact);
		if (jar != null && jar.endsWith(".jar")) {
			Path parent = Path.of(jar).getParent();
			if (parent != null && parent.getFileName() != null) {
				return parent.getFileName().toString();
			}
		}
		return "unknown";
	}

	private static Properties load(String resource) {
		Properties properties = new Properties();
		try (InputStream in = Machine.class.getResourceAsStream(resource)) {
			if (in != null) {
				properties.load(in);
			}
		}
		catch (IOException ex) {
			// An unreadable resource reads as an empty one: the version shows as unknown.
		}
		return properties;
	}

	private static String nettyVersion() {
		return load("/META-INF/io.netty.versions.properties").getProperty("netty-common.version", "unknown");
	}

	/** Runs a short command; its output, or empty if it could not run. */
	private static String run(String... command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			byte[] output = process.getInputStream().readAllBytes();
			process.waitFor(10, TimeUnit.SECONDS);
			return (process.exitValue() == 0) ? new String(output, StandardCharsets.UTF_8) : "";
		}
		catch (IOException | IllegalThreadStateException ex) {
			return "";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "";
		}
	}

}
