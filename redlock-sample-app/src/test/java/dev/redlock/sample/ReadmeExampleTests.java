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
		String readme = Files.readString(Path.of("../README.md"));
		assertThat(readme).contains(SECTION);
		String section = readme.substring(readme.indexOf(SECTION));
		int start = section.indexOf("```java\n") + "```java\n".length();
		String example = section.substring(start, section.indexOf("```", start));
		String test = Files.readString(Path.of("src/test/java/dev/redlock/sample/BookingWithRealNodesTests.java"));

		assertThat(example).contains("@SpringBootTest", "RedlockTestProperties.register(registry, redis);");
		assertThat(code(test)).contains(code(example));
	}

	/** Each line without its indentation, blank lines left out. */
	private static String code(String text) {
		return text.lines().map(String::strip).filter((line) -> !line.isEmpty()).collect(Collectors.joining("\n"));
	}

}
