package dev.redlock.spring.boot;

import dev.redlock.Redlock;

import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code redlock} {@link Boot3RedlockHealthIndicator} on Spring Boot 3.5, where the
 * application has the actuator; {@link RedlockHealthAutoConfiguration} is its twin on Spring
 * Boot 4. Spring Boot 4 has no class of Spring Boot 3's health package, so at most one of the
 * two applies.
 */
@AutoConfiguration(after = RedlockAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(Redlock.class)
public final class Boot3RedlockHealthAutoConfiguration {

	/**
	 * Unless {@code management.health.redlock.enabled=false}. Nested, so that its condition, a
	 * class of the actuator's auto-configuration, is only looked at once that is known to be
	 * there: conditions on one class are all loaded before any is evaluated.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnEnabledHealthIndicator("redlock")
	static class RedlockHealthIndicatorConfiguration {

		/** Either name, like Spring Boot's own indicators, is the user's replacement for this one. */
		@Bean
		@ConditionalOnMissingBean(name = { "redlockHealthIndicator", "redlockHealthContributor" })
		Boot3RedlockHealthIndicator redlockHealthIndicator(Redlock redlock, RedlockProperties properties) {
			return new Boot3RedlockHealthIndicator(redlock,
					properties.getCommandTimeout().plus(RedlockAutoConfiguration.HEALTH_CHECK_MARGIN));
		}

	}

}
