package dev.redlock.spring.boot;

import io.lettuce.core.resource.ClientResources;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;

/**
 * Applies the application's {@link ClientResourcesBuilderCustomizer}s (Spring Boot's Lettuce
 * tracing and metrics among them) to the Redlock's client resources too. Kept apart so that it
 * is loaded only where Spring Boot's Data Redis module is on the classpath.
 */
final class BootClientResourcesCustomizers {

	private BootClientResourcesCustomizers() {
	}

	static void apply(ListableBeanFactory beanFactory, ClientResources.Builder builder) {
		beanFactory.getBeanProvider(ClientResourcesBuilderCustomizer.class)
			.orderedStream()
			.forEach((customizer) -> customizer.customize(builder));
	}

}
