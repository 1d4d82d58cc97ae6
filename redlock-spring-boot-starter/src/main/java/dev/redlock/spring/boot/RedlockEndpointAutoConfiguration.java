package dev.redlock.spring.boot;

import java.time.Duration;

import dev.redlock.Redlock;
import dev.redlock.spring.ActiveLocks;
import dev.redlock.spring.boot.actuate.RedlockEndpoint;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code redlock} actuator endpoint, where the application has the actuator; exposed like
 * any endpoint ({@code management.endpoints.web.exposure.include=redlock}).
 */
@AutoConfiguration(after = RedlockAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean({ Redlock.class, ActiveLocks.class })
@ConditionalOnAvailableEndpoint(RedlockEndpoint.class)
public final class RedlockEndpointAutoConfiguration {

	/** How much longer than the command timeout the endpoint waits for the nodes. */
	private static final Duration MARGIN = Duration.ofSeconds(1);

	@Bean
	@ConditionalOnMissingBean
	RedlockEndpoint redlockEndpoint(Redlock redlock, ActiveLocks activeLocks, RedlockProperties properties) {
		return new RedlockEndpoint(redlock, activeLocks, properties.getCommandTimeout().plus(MARGIN));
	}

}
