package dev.redlock.spring.boot;

import dev.redlock.Redlock;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code redlock} {@link RedlockHealthIndicator} on Spring Boot 4, where the application
 * has its health support ({@code spring-boot-health}, which the actuator brings).
 * {@code Boot3RedlockHealthAutoConfiguration} is its twin on Spring Boot 3.5.
 */
@AutoConfiguration(after = RedlockAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(Redlock.class)
public final class RedlockHealthAutoConfiguration {

	/**
	 * Unless {@code management.health.redlock.enabled=false}. Nested, so that its condition, a
	 * class of {@code spring-boot-health}, is only looked at once that module is known to be
	 * there: conditions on one class are all loaded before any is evaluated.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnEnabledHealthIndicator("redlock")
	static class RedlockHealthIndicatorConfiguration {

		/** Either name, like Spring Boot's own indicators, is the user's replacement for this one. */
		@Bean
		@ConditionalOnMissingBean(name = { "redlockHealthIndicator", "redlockHealthContributor" })
		RedlockHealthIndicator redlockHealthIndicator(Redlock redlock, RedlockProperties properties) {
			return new RedlockHealthIndicator(redlock,
					properties.getCommandTimeout().plus(RedlockAutoConfiguration.HEALTH_CHECK_MARGIN));
		}

	}

}
