package dev.redlock.spring.boot;

import dev.redlock.Redlock;
import dev.redlock.spring.observation.ObservationLockObserver;
import dev.redlock.spring.observation.RedlockObservationConvention;
import io.lettuce.core.tracing.MicrometerTracing;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code redlock.lock} observation of every locked call, where the application has an
 * {@link ObservationRegistry}; and, where Spring Boot 4's Data Redis module is absent (when it
 * is there, its own Lettuce customizer reaches the Redlock's clients), Lettuce's command
 * observations on the Redlock's clients. Spring Boot 3.5 has no Lettuce observation of its
 * own, so there the Redlock's clients always get this one.
 */
@AutoConfiguration(after = RedlockAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
				"org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration" })
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean({ ObservationRegistry.class, Redlock.class })
public final class RedlockObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ObservationLockObserver redlockObservationLockObserver(ObservationRegistry registry,
			ObjectProvider<RedlockObservationConvention> convention, Redlock redlock) {
		return new ObservationLockObserver(registry, convention.getIfAvailable(), redlock.nodes().size());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MicrometerTracing.class)
	@ConditionalOnMissingClass("org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer")
	static class LettuceObservationConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "redlockLettuceObservation")
		RedlockClientResourcesBuilderCustomizer redlockLettuceObservation(ObservationRegistry registry) {
			return (builder) -> builder.tracing(new MicrometerTracing(registry, "Redlock"));
		}

	}

}
