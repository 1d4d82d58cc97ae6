package dev.redlock.spring.boot;

import java.time.Duration;

import dev.redlock.Lock;
import dev.redlock.LockAcquisitionException;
import dev.redlock.Redlock;
import dev.redlock.spring.DistributedLockOptions;
import dev.redlock.spring.DistributedLockTemplate;
import dev.redlock.spring.observation.DefaultRedlockObservationConvention;
import dev.redlock.spring.observation.RedlockObservationConvention;
import dev.redlock.testkit.RedisServersExtension;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The {@code redlock.lock} observations of locked calls: the wait and the hold, inside the
 * caller's observation, tagged with low-cardinality values only, the keys as high-cardinality
 * values; a convention bean replaces the names; Lettuce's own observations reach the nodes.
 */
class RedlockObservationTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private final TestObservationRegistry registry = TestObservationRegistry.create();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RedlockAutoConfiguration.class, RedlockObservationAutoConfiguration.class))
		.withPropertyValues(TestNodes.of(redis))
		.withBean(TestObservationRegistry.class, () -> this.registry)
		.withBean(Accounts.class);

	@Test
	void observesTheWaitAndTheHoldInsideTheCallersObservation() {
		this.runner.run((context) -> {
			Accounts accounts = context.getBean(Accounts.class);
			Observation request = Observation.start("http.server.requests", this.registry);
			try (Observation.Scope scope = request.openScope()) {
				accounts.locked("a", (lock) -> "done");
			}
			request.stop();
			TestObservationRegistryAssert.assertThat(this.registry)
				.hasNumberOfObservationsWithNameEqualTo("redlock.lock", 2)
				.hasAnObservation((observation) -> observation.hasContextualNameEqualTo("redlock acquire")
					.hasLowCardinalityKeyValue("name", "Accounts.locked")
					.hasLowCardinalityKeyValue("outcome", "acquired")
					.hasLowCardinalityKeyValue("phase", "acquire")
					.hasLowCardinalityKeyValue("nodes", "3")
					.hasHighCardinalityKeyValue("keys", "locks:account:a")
					.doesNotHaveLowCardinalityKeyValueWithKey("keys")
					.hasParentObservationEqualTo(request))
				.hasAnObservation((observation) -> observation.hasContextualNameEqualTo("redlock hold")
					.hasLowCardinalityKeyValue("phase", "hold")
					.hasParentObservationEqualTo(request));
		});
	}

	@Test
	void aFailedWaitCarriesItsOutcomeAndError() {
		this.runner.run((context) -> {
			DistributedLockTemplate template = context.getBean(DistributedLockTemplate.class);
			try (Lock other = context.getBean(Redlock.class).acquire("locks:busy", Duration.ofSeconds(10))) {
				assertThatExceptionOfType(LockAcquisitionException.class).isThrownBy(() -> template
					.execute(DistributedLockOptions.keys("busy").withName("busy-work").withWaitTime(Duration.ZERO), () -> 1));
			}
			// Only the lock's: where Spring Boot has no Lettuce observation of its own (3.5), the
			// Redlock's commands are observed too.
			TestObservationRegistryAssert.assertThat(this.registry)
				.hasNumberOfObservationsWithNameEqualTo("redlock.lock", 1)
				.forAllObservationsWithNameEqualTo("redlock.lock", (observation) -> observation
					.hasLowCardinalityKeyValue("outcome", "held-by-another")
					.hasLowCardinalityKeyValue("name", "busy-work")
					.assertThatError()
					.isInstanceOf(LockAcquisitionException.class));
		});
	}

	@Test
	void aConventionBeanRenamesTheObservations() {
		this.runner.withBean(RedlockObservationConvention.class, () -> new DefaultRedlockObservationConvention() {
			@Override
			public String getName() {
				return "app.locks";
			}
		}).run((context) -> {
			context.getBean(Accounts.class).locked("a", (lock) -> "done");
			TestObservationRegistryAssert.assertThat(this.registry)
				.hasNumberOfObservationsWithNameEqualTo("app.locks", 2)
				.hasNumberOfObservationsWithNameEqualTo("redlock.lock", 0);
		});
	}

	@Test
	void lettuceObservesTheCommandsToTheNodesWithoutSpringDataRedis() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RedlockAutoConfiguration.class, RedlockObservationAutoConfiguration.class))
			.withPropertyValues(TestNodes.of(redis))
			.withBean(TestObservationRegistry.class, () -> this.registry)
			.withClassLoader(new FilteredClassLoader(BootLine.dataRedisPackage())).run((context) -> {
			assertThat(context).hasBean("redlockLettuceObservation");
			ClientResources resources = context.getBean("redlockClientResources", ClientResources.class);
			assertThat(resources.tracing().isEnabled()).isTrue();
		});
	}

	@Test
	void isOffWithoutAnObservationRegistry() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RedlockAutoConfiguration.class, RedlockObservationAutoConfiguration.class))
			.withPropertyValues(TestNodes.of(redis))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean("redlockObservationLockObserver"));
	}

}
