package dev.redlock.spring.boot;

import dev.redlock.spring.boot.actuate.RedlockEndpoint;
import dev.redlock.spring.metrics.MicrometerLockObserver;
import dev.redlock.spring.observation.ObservationLockObserver;
import dev.redlock.testkit.RedisServersExtension;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter as an application gets it: every auto-configuration Spring Boot finds, in the
 * order Spring Boot sorts them, with its own health, metrics and observation support. The same
 * test runs on Spring Boot 4 and, in {@code redlock-boot35-tests}, on 3.5, so each line's
 * configurations are proved to be picked by the classpath alone and to work.
 */
class RedlockInAnApplicationTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(Application.class)
		.withPropertyValues(TestNodes.of(redis))
		.withPropertyValues("management.endpoints.web.exposure.include=health,redlock")
		.withBean(Accounts.class);

	@Test
	void registersTheHealthIndicatorOfThisSpringBootLineWithSpringBootsRegistry() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean("redlockHealthIndicator")).isInstanceOf(BootLine.healthIndicatorType());
			assertThat(BootLine.registeredHealthContributor(context, "redlock"))
				.isSameAs(context.getBean("redlockHealthIndicator"));
			HealthView health = BootLine.health(context);
			assertThat(health.status()).isEqualTo("UP");
			assertThat(health.details()).containsEntry("nodesUp", 3).containsEntry("quorum", 2);
		});
	}

	@Test
	void recordsTheMetersAndObservationsOfALockedCallInSpringBootsRegistries() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(MicrometerLockObserver.class).hasSingleBean(ObservationLockObserver.class);
			assertThat(context.getBean(Accounts.class).<Boolean>locked("1", (lock) -> lock.isHeld())).isTrue();
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("redlock.acquire").tags("name", "Accounts.locked", "outcome", "acquired").timer().count())
				.isEqualTo(1);
			assertThat(registry.get("redlock.node.up").gauges()).hasSize(3);
		});
	}

	@Test
	void hasTheEndpointAndSpringDataRedisCustomizersOfThisLine() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(RedlockEndpoint.class);
			assertThat(context.getBean(RedlockEndpoint.class).redlock().answering()).isEqualTo(3);
			assertThat(context).hasBean("redlockBootClientResourcesCustomizers");
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Application {

	}

}
