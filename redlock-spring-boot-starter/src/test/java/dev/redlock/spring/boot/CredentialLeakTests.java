package dev.redlock.spring.boot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import dev.redlock.AcquisitionAttempt;
import dev.redlock.LockAcquisitionException;
import dev.redlock.NodeVote;
import dev.redlock.Redlock;
import dev.redlock.spring.boot.actuate.RedlockEndpoint;
import dev.redlock.spring.boot.actuate.RedlockEndpoint.NodeDescriptor;
import dev.redlock.spring.boot.actuate.RedlockEndpoint.RedlockDescriptor;
import dev.redlock.testkit.RedisServer;
import dev.redlock.testkit.RedisServersExtension;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatRuntimeException;
import static org.awaitility.Awaitility.await;

/**
 * Passwords in {@code redlock.nodes} never show on what the starter puts in front of people:
 * the start-up line and warnings, every log event at DEBUG (the starter's, Spring's and
 * Lettuce's), the failure report of a bad configuration, the exception of a call whose lock
 * a node refused, the health details, and {@code toString()} of the starter's beans. The
 * failing cases matter most, since failures are where URIs and driver messages get printed.
 */
class CredentialLeakTests {

	/** What the server asks for; it appears nowhere, even when given right. */
	private static final String SERVER_PASSWORD = "Srv-Pass-7b41d2";

	private static final String ALICE_PASSWORD = "Alice-Pass-e90c3a";

	/** What a misconfigured client sends; it must appear nowhere either. */
	private static final String WRONG_PASSWORD = "Wrong-Pass-4d5e6f";

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3, "--requirepass", SERVER_PASSWORD, "--user",
			"alice", "on", ">" + ALICE_PASSWORD, "~*", "&*", "+@all");

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RedlockAutoConfiguration.class))
		.withConfiguration(BootLine.health())
		.withPropertyValues("redlock.command-timeout=1s", "redlock.default-wait-time=1s")
		.withBean(Accounts.class);

	private LogCapture logs;

	@BeforeEach
	void captureLogs() {
		this.logs = new LogCapture();
	}

	@AfterEach
	void stopCapturing() {
		this.logs.close();
	}

	@Test
	void theRightPasswordsShowNowhere() {
		this.runner.withPropertyValues(nodes((server) -> "redis://alice:" + ALICE_PASSWORD + "@127.0.0.1:" + server.port()))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(Accounts.class).<Boolean>locked("1", (lock) -> lock.isHeld())).isTrue();
				HealthView health = BootLine.health(context);
				assertThat(health.status()).isEqualTo("UP");
				assertThat(health.text()).contains(redis.uris()).doesNotContain(ALICE_PASSWORD);
				assertBeansShowNo(context, ALICE_PASSWORD);
			});
		assertThat(this.logs.logged(RedlockAutoConfiguration.class.getName(), Level.INFO,
				"Redlock on 3 nodes " + redis.uris() + ", quorum 2")).as("the start-up line names the nodes").isTrue();
		assertLogsShowNo(ALICE_PASSWORD);
	}

	@Test
	void theEndpointAndTheNodeMetersShowNoPassword() {
		this.runner.withConfiguration(BootLine.metrics())
			.withConfiguration(AutoConfigurations.of(RedlockMetricsAutoConfiguration.class,
					RedlockEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=redlock")
			.withPropertyValues(nodes((server) -> "redis://:" + SERVER_PASSWORD + "@127.0.0.1:" + server.port()))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				RedlockDescriptor shown = context.getBean(Accounts.class)
					.locked("3", (lock) -> context.getBean(RedlockEndpoint.class).redlock());
				assertThat(shown.answering()).isEqualTo(3);
				assertThat(shown.nodes()).extracting(NodeDescriptor::node).isEqualTo(redis.uris());
				assertThat(shown.toString()).doesNotContain(SERVER_PASSWORD);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("redlock.node.up").gauges())
					.extracting((gauge) -> gauge.getId().getTag("node"))
					.containsExactlyInAnyOrderElementsOf(redis.uris());
				assertThat(registry.getMeters()).allSatisfy((meter) -> assertThat(meter.getId().toString())
					.doesNotContain(SERVER_PASSWORD));
			});
		assertLogsShowNo(SERVER_PASSWORD);
	}

	@Test
	void theStartUpWarningShowsNoPassword() {
		this.runner
			.withPropertyValues("redlock.nodes[0]=redis://:" + SERVER_PASSWORD + "@127.0.0.1:" + redis.get(0).port(),
					"redlock.nodes[1]=redis://alice:" + ALICE_PASSWORD + "@127.0.0.1:" + redis.get(1).port())
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(this.logs.logged(RedlockAutoConfiguration.class.getName(), Level.WARN, "tolerates no failure")).isTrue();
		assertLogsShowNo(SERVER_PASSWORD, ALICE_PASSWORD);
	}

	@Test
	void aWrongPasswordShowsNowhere() {
		this.runner.withPropertyValues(nodes((server) -> "redis://:" + WRONG_PASSWORD + "@127.0.0.1:" + server.port()))
			.run((context) -> assertRefusedWithoutShowing(context, WRONG_PASSWORD));
		assertLogsShowNo(WRONG_PASSWORD, SERVER_PASSWORD);
	}

	@Test
	void aWrongAclPasswordShowsNowhere() {
		this.runner.withPropertyValues(nodes((server) -> "redis://alice:" + WRONG_PASSWORD + "@127.0.0.1:" + server.port()))
			.run((context) -> assertRefusedWithoutShowing(context, WRONG_PASSWORD));
		assertLogsShowNo(WRONG_PASSWORD, ALICE_PASSWORD);
	}

	@Test
	void thePasswordOfANodeThatIsDownShowsNowhere() {
		redis.get(0).kill();
		this.runner.withPropertyValues(nodes((server) -> "redis://alice:" + ALICE_PASSWORD + "@127.0.0.1:" + server.port()))
			.run((context) -> {
				assertThat(context.getBean(Accounts.class).<Boolean>locked("2", (lock) -> lock.isHeld())).isTrue();
				HealthView health = BootLine.health(context);
				assertThat(health.status()).isEqualTo("UP");
				assertThat(nodeDetails(health).get(redis.uris().get(0))).asString().startsWith("down: ");
				assertThat(health.text()).doesNotContain(ALICE_PASSWORD);
				assertBeansShowNo(context, ALICE_PASSWORD);
			});
		assertLogsShowNo(ALICE_PASSWORD);
	}

	static Stream<Arguments> badNodes() {
		String secret = WRONG_PASSWORD;
		return Stream.of(
				Arguments.of("the same node twice", new String[] { "redlock.nodes[0]=redis://:" + secret + "@127.0.0.1:6390",
						"redlock.nodes[1]=redis://alice:" + secret + "@127.0.0.1:6390" }),
				Arguments.of("a port that is not a number",
						new String[] { "redlock.nodes[0]=redis://alice:" + secret + "@127.0.0.1:notaport" }),
				Arguments.of("a character no URI may hold",
						new String[] { "redlock.nodes[0]=redis://alice:" + secret + "^@127.0.0.1:6390" }),
				Arguments.of("a malformed escape",
						new String[] { "redlock.nodes[0]=redis://alice:" + secret + "%zz@127.0.0.1:6390" }),
				Arguments.of("no scheme", new String[] { "redlock.nodes[0]=alice:" + secret + "@127.0.0.1:6390" }),
				Arguments.of("another scheme", new String[] { "redlock.nodes[0]=http://alice:" + secret + "@127.0.0.1:6390" }),
				Arguments.of("no host", new String[] { "redlock.nodes[0]=redis://alice:" + secret + "@:6390" }),
				Arguments.of("a TLS node with a bad port",
						new String[] { "redlock.nodes[0]=rediss://alice:" + secret + "@127.0.0.1:notaport" }),
				Arguments.of("a sentinel with a bad port",
						new String[] { "redlock.nodes[0]=redis-sentinel://:" + secret + "@127.0.0.1:notaport/0#primary" }),
				Arguments.of("the same sentinels twice",
						new String[] { "redlock.nodes[0]=redis-sentinel://:" + secret + "@127.0.0.1:26379/0#primary",
								"redlock.nodes[1]=redis-sentinel://alice:" + secret + "@127.0.0.1:26379/0#primary" }),
				Arguments.of("a problem only the builder finds",
						new String[] { "redlock.nodes[0]=redis://:" + secret + "@127.0.0.1:6390",
								"redlock.nodes[1]=redis://alice:" + secret + "@127.0.0.1:6391", "redlock.retry.delay=2d" }));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badNodes")
	void aBadConfigurationIsReportedWithoutItsPasswords(String problem, String[] properties) {
		this.runner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			assertThat(failure).rootCause().isInstanceOf(RedlockConfigurationException.class);
			assertThat(LogCapture.printed(failure)).doesNotContain(WRONG_PASSWORD);
			FailureAnalysis analysis = new RedlockConfigurationFailureAnalyzer().analyze(failure);
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("redlock.").doesNotContain(WRONG_PASSWORD);
			assertThat(analysis.getAction()).doesNotContain(WRONG_PASSWORD);
		});
		assertLogsShowNo(WRONG_PASSWORD);
	}

	/**
	 * The report a real application prints when it fails to start, through Spring Boot's
	 * failure analysis. Boot's logging system stays off, so it does not replace the capture.
	 */
	@Test
	void theReportOfAFailedStartShowsNoPassword() {
		String previous = System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
		try {
			SpringApplicationBuilder application = new SpringApplicationBuilder(Application.class)
				.web(WebApplicationType.NONE)
				.properties("spring.main.banner-mode=off", "redlock.nodes[0]=redis://alice:" + WRONG_PASSWORD + "@127.0.0.1:6390",
						"redlock.nodes[1]=redis://:" + WRONG_PASSWORD + "@127.0.0.1:6390/1");
			assertThatRuntimeException().isThrownBy(application::run)
				.satisfies((ex) -> assertThat(LogCapture.printed(ex)).doesNotContain(WRONG_PASSWORD));
		}
		finally {
			if (previous != null) {
				System.setProperty(LoggingSystem.SYSTEM_PROPERTY, previous);
			}
			else {
				System.clearProperty(LoggingSystem.SYSTEM_PROPERTY);
			}
		}
		assertThat(this.logs.events()).as("Spring Boot's failure report")
			.anySatisfy((event) -> assertThat(event).contains("APPLICATION FAILED TO START")
				.contains("Property: redlock.nodes[1]")
				.contains("redis://****@127.0.0.1:6390/1"));
		assertLogsShowNo(WRONG_PASSWORD);
	}

	@Test
	void propertiesHaveNoToStringThatPrintsTheNodes() throws Exception {
		assertThat(RedlockProperties.class.getMethod("toString").getDeclaringClass()).isEqualTo(Object.class);
	}

	/**
	 * The call fails because the nodes refuse the client, and neither the exception, with
	 * every vote and cause, nor the health details show the password.
	 */
	private static void assertRefusedWithoutShowing(AssertableApplicationContext context, String secret) {
		assertThat(context).hasNotFailed();
		assertThatExceptionOfType(LockAcquisitionException.class)
			.isThrownBy(() -> context.getBean(Accounts.class).locked("3", (lock) -> lock))
			.satisfies((ex) -> {
				assertThat(ex.reason()).isEqualTo(LockAcquisitionException.Reason.QUORUM_UNREACHABLE);
				assertThat(ex.getMessage()).doesNotContain(secret);
				assertThat(LogCapture.printed(ex)).doesNotContain(secret);
				assertThat(ex.attempts()).isNotEmpty();
				for (AcquisitionAttempt attempt : ex.attempts()) {
					assertThat(attempt.toString()).doesNotContain(secret);
					for (NodeVote vote : attempt.votes()) {
						assertThat(vote.vote()).isEqualTo(NodeVote.Vote.FAILED);
						assertThat(vote.toString()).doesNotContain(secret);
						assertThat(LogCapture.printed(vote.error())).doesNotContain(secret);
					}
				}
			});
		// A refused handshake sometimes surfaces first as "connection closed prematurely";
		// the node's next connect attempt reports the refusal itself.
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			HealthView health = BootLine.health(context);
			assertThat(health.status()).isEqualTo("DOWN");
			assertThat(nodeDetails(health)).containsOnlyKeys(redis.uris())
				.allSatisfy((node, state) -> assertThat(state).asString().startsWith("down: ").containsIgnoringCase("WRONGPASS"));
			assertThat(health.text()).doesNotContain(secret);
		});
		assertBeansShowNo(context, secret);
	}

	/** Every bean of the starter and of Redlock, as it would show in a log or a debugger. */
	private static void assertBeansShowNo(AssertableApplicationContext context, String secret) {
		int checked = 0;
		for (String name : context.getBeanDefinitionNames()) {
			Object bean = context.getBean(name);
			if (bean.getClass().getName().startsWith("dev.redlock.")) {
				assertThat(String.valueOf(bean)).as("toString() of bean %s", name).doesNotContain(secret);
				checked++;
			}
		}
		assertThat(checked).as("beans checked").isGreaterThanOrEqualTo(3);
		assertThat(context.getBean(Redlock.class).toString()).contains("quorum");
	}

	private void assertLogsShowNo(String... secrets) {
		List<String> events = this.logs.events();
		assertThat(events).as("DEBUG logging was captured").isNotEmpty();
		for (String secret : secrets) {
			assertThat(events).as("log events").noneMatch((event) -> event.contains(secret));
		}
	}

	private static Map<String, Object> nodeDetails(HealthView health) {
		return health.nodes();
	}

	private static String[] nodes(Function<RedisServer, String> uri) {
		List<String> properties = new ArrayList<>();
		for (int i = 0; i < redis.size(); i++) {
			properties.add("redlock.nodes[" + i + "]=" + uri.apply(redis.get(i)));
		}
		return properties.toArray(String[]::new);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(RedlockAutoConfiguration.class)
	static class Application {

	}

}
