package dev.redlock.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README promises that its example of a user's {@code @SpringBootTest} on real nodes is a
 * test of the sample app, so the two cannot drift apart unnoticed. Indentation aside (the
 * README indents with spaces), the code must be the same.
 */
class ReadmeExampleTests {

	private static final String SECTION = "### Testing your application with real nodes";

	@Test
	void theReadmesSpringBootTestIsBookingWithRealNodesTests() throws IOException {
		Path root = projectRoot();
		String readme = Files.readString(root.resolve("README.md"));
		assertThat(readme).contains(SECTION);
		String section = readme.substring(readme.indexOf(SECTION));
		int start = section.indexOf("```java\n") + "```java\n".length();
		String example = section.substring(start, section.indexOf("```", start));
		String test = Files.readString(
				root.resolve("redlock-sample-app/src/test/java/dev/redlock/sample/BookingWithRealNodesTests.java"));

		assertThat(example).contains("@SpringBootTest", "RedlockTestProperties.register(registry, redis);");
		assertThat(code(test)).contains(code(example));
	}

	/**
	 * The project's root, found upwards from the working directory: these tests also run from
	 * {@code redlock-boot35-tests/sample-app}, on Spring Boot 3.5.
	 */
	private static Path projectRoot() {
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("redlock-sample-app"))) {
				return dir;
			}
		}
		throw new IllegalStateException("No project root (README.md beside redlock-sample-app) above "
				+ Path.of("").toAbsolutePath());
	}

	/** Each line without its indentation, blank lines left out. */
	private static String code(String text) {
		return text.lines().map(String::strip).filter((line) -> !line.isEmpty()).collect(Collectors.joining("\n"));
	}

}
