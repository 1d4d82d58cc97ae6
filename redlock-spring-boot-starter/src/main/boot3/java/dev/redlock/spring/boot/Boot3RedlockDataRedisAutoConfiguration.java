package dev.redlock.spring.boot;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.data.redis.ClientResourcesBuilderCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * On Spring Boot 3.5, has the application's {@link ClientResourcesBuilderCustomizer}s reach the
 * Redlock's client resources as well; {@link RedlockDataRedisAutoConfiguration} is its twin on
 * Spring Boot 4. Spring Boot 3.5 keeps that interface in {@code spring-boot-autoconfigure}, so
 * it is there whenever this line is.
 */
@AutoConfiguration(before = RedlockAutoConfiguration.class)
@ConditionalOnClass(ClientResourcesBuilderCustomizer.class)
@ConditionalOnBooleanProperty(name = "redlock.enabled", matchIfMissing = true)
public final class Boot3RedlockDataRedisAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "redlockBootClientResourcesCustomizers")
	RedlockClientResourcesBuilderCustomizer redlockBootClientResourcesCustomizers(
			ObjectProvider<ClientResourcesBuilderCustomizer> customizers) {
		return new Boot3ClientResourcesCustomizers(customizers);
	}

}
