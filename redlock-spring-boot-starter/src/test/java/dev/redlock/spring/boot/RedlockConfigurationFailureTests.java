package dev.redlock.spring.boot;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of bad {@code redlock.*} value fails the start, and the failure analysis names
 * the property, says what is wrong, and never shows a password.
 */
class RedlockConfigurationFailureTests {

	private static final String GOOD_NODE = "redis://127.0.0.1:6390";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RedlockAutoConfiguration.class));

	static Stream<Arguments> badValues() {
		return Stream.of(
				Arguments.of(new String[] { "redlock.nodes[0]=" + GOOD_NODE, "redlock.nodes[1]=redis://127.0.0.1:notaport" },
						"redlock.nodes[1]", "not a valid Redis URI"),
				Arguments.of(new String[] { "redlock.nodes[0]=localhost:6379" }, "redlock.nodes[0]", "not a valid Redis URI"),
				Arguments.of(new String[] { "redlock.nodes[0]=http://127.0.0.1:6379" }, "redlock.nodes[0]",
						"not a valid Redis URI"),
				Arguments.of(new String[] { "redlock.nodes[0]=" + GOOD_NODE, "redlock.nodes[1]=redis://127.0.0.1:6391",
						"redlock.nodes[2]=" + GOOD_NODE + "/0" }, "redlock.nodes[2]", "same node as redlock.nodes[0]"),
				Arguments.of(new String[] { "redlock.nodes[0]=redis-cluster://127.0.0.1:7000,127.0.0.1:notaport" },
						"redlock.nodes[0]", "not a valid Redis URI"),
				Arguments.of(new String[] { "redlock.nodes[0]=redis-cluster://127.0.0.1:7000,,127.0.0.1:7001" },
						"redlock.nodes[0]", "empty seed"),
				Arguments.of(new String[] { "redlock.nodes[0]=redis-cluster://127.0.0.1:7000,127.0.0.1:7001",
						"redlock.nodes[1]=redis://127.0.0.1:7001" }, "redlock.nodes[1]", "same node as redlock.nodes[0]"),
				Arguments.of(new String[] { "redlock.replica-acknowledgements=-1" }, "redlock.replica-acknowledgements",
						"must be 0"),
				Arguments.of(new String[] { "redlock.drift-factor=1" }, "redlock.drift-factor", "less than 1"),
				Arguments.of(new String[] { "redlock.drift-factor=-0.1" }, "redlock.drift-factor", "at least 0"),
				Arguments.of(new String[] { "redlock.default-ttl=0s" }, "redlock.default-ttl", "positive"),
				Arguments.of(new String[] { "redlock.default-ttl=-5s" }, "redlock.default-ttl", "positive"),
				Arguments.of(new String[] { "redlock.default-wait-time=-1s" }, "redlock.default-wait-time", "zero or"),
				Arguments.of(new String[] { "redlock.retry.delay=-1ms" }, "redlock.retry.delay", "zero or"),
				Arguments.of(new String[] { "redlock.retry.jitter=-1ms" }, "redlock.retry.jitter", "zero or"),
				Arguments.of(new String[] { "redlock.command-timeout=0ms" }, "redlock.command-timeout", "positive"),
				Arguments.of(new String[] { "redlock.automatic-extension-threshold=0ms" },
						"redlock.automatic-extension-threshold", "positive"));
	}

	@ParameterizedTest(name = "{1}: {0}")
	@MethodSource("badValues")
	void failsTheStartNamingTheProperty(String[] properties, String property, String reason) {
		this.runner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			assertThat(failure).rootCause()
				.isInstanceOf(RedlockConfigurationException.class)
				.hasMessageContaining("'" + property + "'")
				.hasMessageContaining(reason);
			RedlockConfigurationException cause = (RedlockConfigurationException) rootCause(failure);
			assertThat(cause.getProperty()).isEqualTo(property);
			FailureAnalysis analysis = new RedlockConfigurationFailureAnalyzer().analyze(failure);
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("Property: " + property).contains(reason);
			assertThat(analysis.getAction()).startsWith("Review the value of the property '" + property + "'");
		});
	}

	@Test
	void neverShowsThePasswordOfABadNode() {
		this.runner.withPropertyValues("redlock.nodes[0]=redis://admin:s3cret@127.0.0.1:notaport").run((context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			RedlockConfigurationException cause = (RedlockConfigurationException) rootCause(failure);
			FailureAnalysis analysis = new RedlockConfigurationFailureAnalyzer().analyze(failure);
			assertThat(cause.getValue()).isEqualTo("redis://****@127.0.0.1:notaport");
			assertThat(cause.getMessage()).doesNotContain("s3cret").doesNotContain("admin");
			assertThat(analysis.getDescription()).contains("redlock.nodes[0]").doesNotContain("s3cret");
			assertThat(analysis.getAction()).doesNotContain("s3cret");
		});
	}

	static Stream<Arguments> badClusterAndSentinelNodes() {
		return Stream.of(
				Arguments.of("redis-cluster://alice:s3cret@127.0.0.1:7000,127.0.0.1:notaport",
						"redis-cluster://****@127.0.0.1:7000,127.0.0.1:notaport"),
				Arguments.of("rediss-cluster://alice:s3cret@127.0.0.1:7000,,127.0.0.1:7001",
						"rediss-cluster://****@127.0.0.1:7000,,127.0.0.1:7001"),
				Arguments.of("redis-sentinel://alice:s3cret@127.0.0.1:26379,127.0.0.1:notaport#orders",
						"redis-sentinel://****@127.0.0.1:26379,127.0.0.1:notaport#orders"));
	}

	/**
	 * A bad cluster or Sentinel node is named by its kind, its seeds and its master, never
	 * with the user or password.
	 */
	@ParameterizedTest(name = "{1}")
	@MethodSource("badClusterAndSentinelNodes")
	void namesABadClusterOrSentinelNodeByKindAndSeedsWithoutCredentials(String node, String shown) {
		this.runner.withPropertyValues("redlock.nodes[0]=" + node).run((context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			RedlockConfigurationException cause = (RedlockConfigurationException) rootCause(failure);
			assertThat(cause.getProperty()).isEqualTo("redlock.nodes[0]");
			assertThat(cause.getValue()).isEqualTo(shown);
			FailureAnalysis analysis = new RedlockConfigurationFailureAnalyzer().analyze(failure);
			assertThat(analysis.getDescription()).contains("Property: redlock.nodes[0]").contains(shown);
			assertThat(List.of(cause.getMessage(), analysis.getDescription(), analysis.getAction()))
				.allSatisfy((text) -> assertThat(text).doesNotContain("s3cret").doesNotContain("alice"));
		});
	}

	@Test
	void neverShowsThePasswordOfAClusterListedTwice() {
		this.runner
			.withPropertyValues("redlock.nodes[0]=redis-cluster://:first-secret@127.0.0.1:7000,127.0.0.1:7001",
					"redlock.nodes[1]=redis://:second-secret@127.0.0.1:7001")
			.run((context) -> {
				Throwable failure = context.getStartupFailure();
				RedlockConfigurationException cause = (RedlockConfigurationException) rootCause(failure);
				assertThat(cause.getProperty()).isEqualTo("redlock.nodes[1]");
				assertThat(cause.getMessage()).contains("same node as redlock.nodes[0]").doesNotContain("secret");
				FailureAnalysis analysis = new RedlockConfigurationFailureAnalyzer().analyze(failure);
				assertThat(analysis.getDescription()).doesNotContain("secret");
				assertThat(analysis.getAction()).doesNotContain("secret");
			});
	}

	@Test
	void neverShowsThePasswordOfADuplicateNode() {
		this.runner
			.withPropertyValues("redlock.nodes[0]=redis://:first-secret@127.0.0.1:6390",
					"redlock.nodes[1]=redis://:second-secret@127.0.0.1:6390")
			.run((context) -> {
				RedlockConfigurationException cause = (RedlockConfigurationException) rootCause(context.getStartupFailure());
				assertThat(cause.getProperty()).isEqualTo("redlock.nodes[1]");
				assertThat(cause.getMessage()).doesNotContain("secret");
			});
	}

	@Test
	void namesThePropertyOfAnOptionOnlyTheBuilderBounds() {
		this.runner
			.withPropertyValues("redlock.nodes[0]=redis://:first-secret@127.0.0.1:6390",
					"redlock.nodes[1]=redis://alice:second-secret@127.0.0.1:6391", "redlock.retry.delay=2d")
			.run((context) -> {
				RedlockConfigurationException cause = (RedlockConfigurationException) rootCause(context.getStartupFailure());
				assertThat(cause.getProperty()).isEqualTo("redlock.retry.delay");
				assertThat(cause.getValue()).isEqualTo("PT48H");
				assertThat(cause.getReason()).contains("retryDelay");
				assertThat(cause.getMessage()).doesNotContain("secret");
			});
	}

	@Test
	void leavesOtherFailuresToOtherAnalyzers() {
		assertThat(new RedlockConfigurationFailureAnalyzer().analyze(new IllegalStateException("unrelated"))).isNull();
	}

	@Test
	void isRegisteredAsAFailureAnalyzer() throws Exception {
		String factories = new String(getClass().getResourceAsStream("/META-INF/spring.factories").readAllBytes());
		assertThat(factories).contains("org.springframework.boot.diagnostics.FailureAnalyzer")
			.contains(RedlockConfigurationFailureAnalyzer.class.getName());
	}

	private static Throwable rootCause(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

}
