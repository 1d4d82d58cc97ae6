package dev.redlock.spring.boot;

import java.time.Duration;
import java.util.function.Consumer;

import dev.redlock.Redlock;
import io.lettuce.core.resource.ClientResources;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

/**
 * The tests' view of what differs between Spring Boot lines, here Spring Boot 4. Its twin in
 * {@code src/test/boot3/java} has the same members for Spring Boot 3.5, where the starter's
 * tests run again (module {@code redlock-boot35-tests}).
 */
final class BootLine {

	private BootLine() {
	}

	/** The starter's health auto-configuration of this line. */
	static AutoConfigurations health() {
		return AutoConfigurations.of(RedlockHealthAutoConfiguration.class);
	}

	/** Spring Boot's own auto-configuration of the registry of health contributors. */
	static AutoConfigurations healthRegistry() {
		return AutoConfigurations.of(HealthContributorAutoConfiguration.class,
				HealthContributorRegistryAutoConfiguration.class);
	}

	/** The package whose absence means no health support, for a {@code FilteredClassLoader}. */
	static String healthPackage() {
		return "org.springframework.boot.health";
	}

	/** The type of the health indicator the starter defines on this line. */
	static Class<?> healthIndicatorType() {
		return RedlockHealthIndicator.class;
	}

	/** What the context's {@code redlock} health indicator reports now. */
	static HealthView health(ApplicationContext context) {
		return view(context.getBean(RedlockHealthIndicator.class).health());
	}

	/** What a new health indicator of this line on the given Redlock reports now. */
	static HealthView health(Redlock redlock, Duration timeout) {
		return view(new RedlockHealthIndicator(redlock, timeout).health());
	}

	/** The contributor Spring Boot's registry holds under the name. */
	static Object registeredHealthContributor(ApplicationContext context, String name) {
		return context.getBean(HealthContributorRegistry.class).getContributor(name);
	}

	/** An application's own health indicator, always up. */
	static Object applicationHealthIndicator() {
		return (HealthIndicator) () -> Health.up().withDetail("mine", true).build();
	}

	/** The type of {@link #applicationHealthIndicator()}, to register it as a bean. */
	@SuppressWarnings("unchecked")
	static <T> Class<T> healthIndicatorInterface() {
		return (Class<T>) HealthIndicator.class;
	}

	/** The starter's bridge to Spring Data Redis's Lettuce customizers, of this line. */
	static AutoConfigurations dataRedis() {
		return AutoConfigurations.of(RedlockDataRedisAutoConfiguration.class);
	}

	/** The package of Spring Boot's Data Redis support, for a {@code FilteredClassLoader}. */
	static String dataRedisPackage() {
		return "org.springframework.boot.data.redis";
	}

	/** Registers an application's Spring Data Redis {@code ClientResourcesBuilderCustomizer}. */
	static ApplicationContextRunner withDataRedisCustomizer(ApplicationContextRunner runner,
			Consumer<ClientResources.Builder> customizer) {
		return runner.withBean(ClientResourcesBuilderCustomizer.class, () -> customizer::accept);
	}

	/** Spring Boot's metrics auto-configurations with the simple registry. */
	static AutoConfigurations metrics() {
		return AutoConfigurations.of(MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class);
	}

	private static HealthView view(Health health) {
		return new HealthView(health.getStatus().getCode(), health.getDetails(), health.toString());
	}

}
