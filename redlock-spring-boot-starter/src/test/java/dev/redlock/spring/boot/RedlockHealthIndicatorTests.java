package dev.redlock.spring.boot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.redlock.Redlock;
import dev.redlock.testkit.RedisServersExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * When the {@code redlock} health indicator is defined, and what it reports on real nodes:
 * all up, a minority down (still UP, with a warning), a majority down or hanging (DOWN), and
 * back again. On either Spring Boot line: {@link BootLine} names that line's health types.
 */
class RedlockHealthIndicatorTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RedlockAutoConfiguration.class))
		.withConfiguration(BootLine.health())
		.withPropertyValues(nodes())
		.withPropertyValues("redlock.command-timeout=1s");

	@Test
	void isDefinedWithSpringBootHealthOnTheClasspath() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(BootLine.healthIndicatorType())
			.hasBean("redlockHealthIndicator"));
	}

	@Test
	void isNotDefinedWithoutSpringBootHealth() {
		this.runner.withClassLoader(new FilteredClassLoader(BootLine.healthPackage())).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(Redlock.class);
			assertThat(context).doesNotHaveBean(BootLine.healthIndicatorType()).doesNotHaveBean("redlockHealthIndicator");
		});
	}

	@Test
	void isOffWhenDisabled() {
		this.runner.withPropertyValues("management.health.redlock.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(Redlock.class).doesNotHaveBean(BootLine.healthIndicatorType()));
	}

	@Test
	void followsTheDefaultOfAllHealthIndicatorsUnlessEnabledByName() {
		this.runner.withPropertyValues("management.health.defaults.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(BootLine.healthIndicatorType()));
		this.runner.withPropertyValues("management.health.defaults.enabled=false", "management.health.redlock.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(BootLine.healthIndicatorType()));
	}

	@Test
	void isOffWithRedlock() {
		this.runner.withPropertyValues("redlock.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(BootLine.healthIndicatorType()));
	}

	@Test
	void backsOffFromAUserDefinedIndicatorOfTheSameName() {
		Object own = BootLine.applicationHealthIndicator();
		this.runner.withBean("redlockHealthIndicator", BootLine.healthIndicatorInterface(), () -> own).run((context) -> {
			assertThat(context).doesNotHaveBean(BootLine.healthIndicatorType());
			assertThat(context.getBean("redlockHealthIndicator")).isSameAs(own);
		});
	}

	@Test
	void isRegisteredUnderTheNameRedlock() {
		this.runner
			.withConfiguration(BootLine.healthRegistry())
			.run((context) -> assertThat(BootLine.registeredHealthContributor(context, "redlock"))
				.isSameAs(context.getBean(BootLine.healthIndicatorType())));
	}

	@Test
	void isUpWhenEveryNodeAnswers() {
		this.runner.run((context) -> {
			HealthView health = BootLine.health(context);
			assertThat(health.status()).isEqualTo("UP");
			assertThat(health.details()).containsEntry("quorum", 2)
				.containsEntry("nodesUp", 3)
				.containsEntry("nodesTotal", 3)
				.doesNotContainKeys("warning", "error");
			assertThat(nodeDetails(health)).containsOnlyKeys(redis.uris()).allSatisfy((node, state) -> assertThat(state).isEqualTo("up"));
			assertThat(nodeDetails(health).keySet()).containsExactlyElementsOf(redis.uris());
		});
	}

	@Test
	void staysUpButWarnsWhileAMinorityIsDown() {
		this.runner.run((context) -> {
			assertThat(BootLine.health(context).status()).isEqualTo("UP");
			redis.get(0).kill();
			HealthView health = BootLine.health(context);
			assertThat(health.status()).isEqualTo("UP");
			assertThat(health.details()).containsEntry("quorum", 2).containsEntry("nodesUp", 2).containsEntry("nodesTotal", 3);
			assertThat(health.details().get("warning"))
				.isEqualTo("1 of 3 nodes down; the quorum of 2 still stands, but one more failure loses it");
			Map<String, Object> nodes = nodeDetails(health);
			assertThat((String) nodes.get(redis.uris().get(0))).startsWith("down: ");
			assertThat(nodes.get(redis.uris().get(1))).isEqualTo("up");
			assertThat(nodes.get(redis.uris().get(2))).isEqualTo("up");
		});
	}

	@Test
	void isDownWhileAMajorityIsDownAndUpOnceItIsBack() {
		this.runner.run((context) -> {
			assertThat(BootLine.health(context).status()).isEqualTo("UP");
			redis.get(0).kill();
			redis.get(2).kill();
			HealthView health = BootLine.health(context);
			assertThat(health.status()).isEqualTo("DOWN");
			assertThat(health.details()).containsEntry("quorum", 2)
				.containsEntry("nodesUp", 1)
				.containsEntry("nodesTotal", 3)
				.containsEntry("error", "only 1 of 3 nodes answered, 2 are needed to lock");
			Map<String, Object> nodes = nodeDetails(health);
			assertThat(nodes).containsOnlyKeys(redis.uris()).containsEntry(redis.uris().get(1), "up");
			assertThat((String) nodes.get(redis.uris().get(0))).startsWith("down: ").hasSizeGreaterThan("down: ".length());
			assertThat((String) nodes.get(redis.uris().get(2))).startsWith("down: ");

			redis.get(2).restart();
			await().atMost(Duration.ofSeconds(30)).until(() -> BootLine.health(context).isUp());
			assertThat(BootLine.health(context).details()).containsEntry("nodesUp", 2);
		});
	}

	@Test
	void isDownWithinTheCommandTimeoutWhenAMajorityHangs() {
		this.runner.run((context) -> {
			assertThat(BootLine.health(context).status()).isEqualTo("UP");
			redis.get(1).pause();
			redis.get(2).pause();
			try {
				long started = System.nanoTime();
				HealthView health = BootLine.health(context);
				Duration took = Duration.ofNanos(System.nanoTime() - started);
				assertThat(health.status()).isEqualTo("DOWN");
				assertThat(health.details()).containsEntry("nodesUp", 1);
				assertThat((String) nodeDetails(health).get(redis.uris().get(1))).startsWith("down: ").contains("within 1000 ms");
				// The command timeout is 1 s, and the indicator waits at most a second more.
				assertThat(took).isLessThan(Duration.ofMillis(2500));
			}
			finally {
				redis.get(1).resume();
				redis.get(2).resume();
			}
		});
	}

	@Test
	void waitsNoLongerThanItsOwnTimeout() {
		this.runner.withPropertyValues("redlock.command-timeout=20s").run((context) -> {
			Redlock redlock = context.getBean(Redlock.class);
			assertThat(BootLine.health(redlock, Duration.ofMillis(300)).status()).isEqualTo("UP");
			redis.servers().forEach((server) -> server.pause());
			try {
				long started = System.nanoTime();
				HealthView health = BootLine.health(redlock, Duration.ofMillis(300));
				Duration took = Duration.ofNanos(System.nanoTime() - started);
				assertThat(health.status()).isEqualTo("DOWN");
				assertThat(health.details()).containsEntry("quorum", 2)
					.containsEntry("nodesTotal", 3)
					.containsEntry("error", "no answer from the nodes within 300 ms");
				assertThat(took).isLessThan(Duration.ofSeconds(5));
			}
			finally {
				redis.servers().forEach((server) -> server.resume());
			}
		});
	}

	@Test
	void isDownOnceRedlockIsClosed() {
		Redlock redlock = Redlock.builder().nodes(redis.uris()).build();
		assertThat(BootLine.health(redlock, Duration.ofSeconds(5)).status()).isEqualTo("UP");
		redlock.close();
		HealthView health = BootLine.health(redlock, Duration.ofSeconds(5));
		assertThat(health.status()).isEqualTo("DOWN");
		assertThat(health.details()).containsEntry("quorum", 2).containsEntry("nodesTotal", 3);
	}

	@Test
	void rejectsATimeoutThatIsNotPositive() {
		this.runner.run((context) -> {
			Redlock redlock = context.getBean(Redlock.class);
			assertThatIllegalArgumentException().isThrownBy(() -> BootLine.health(redlock, Duration.ZERO))
				.withMessageContaining("timeout must be positive");
		});
	}

	private static Map<String, Object> nodeDetails(HealthView health) {
		return health.nodes();
	}

	private static String[] nodes() {
		List<String> properties = new ArrayList<>();
		for (int i = 0; i < redis.size(); i++) {
			properties.add("redlock.nodes[" + i + "]=" + redis.uris().get(i));
		}
		return properties.toArray(String[]::new);
	}

}
