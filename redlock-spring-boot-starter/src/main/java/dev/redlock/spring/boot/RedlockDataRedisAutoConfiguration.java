package dev.redlock.spring.boot;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * Where Spring Boot 4's Data Redis module is there, has its
 * {@link ClientResourcesBuilderCustomizer}s reach the Redlock's client resources as well.
 * {@code Boot3RedlockDataRedisAutoConfiguration} is its twin on Spring Boot 3.5.
 */
@AutoConfiguration(before = RedlockAutoConfiguration.class)
@ConditionalOnClass(ClientResourcesBuilderCustomizer.class)
@ConditionalOnBooleanProperty(name = "redlock.enabled", matchIfMissing = true)
public final class RedlockDataRedisAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "redlockBootClientResourcesCustomizers")
	RedlockClientResourcesBuilderCustomizer redlockBootClientResourcesCustomizers(
			ObjectProvider<ClientResourcesBuilderCustomizer> customizers) {
		return new BootClientResourcesCustomizers(customizers);
	}

}
