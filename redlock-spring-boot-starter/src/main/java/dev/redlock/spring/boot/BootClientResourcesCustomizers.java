package dev.redlock.spring.boot;

import io.lettuce.core.resource.ClientResources;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.core.Ordered;

/**
 * Applies the application's Spring Boot 4 {@link ClientResourcesBuilderCustomizer}s (Spring
 * Boot's Lettuce tracing and metrics among them) to the Redlock's client resources too, before
 * the Redlock's own customizers.
 */
final class BootClientResourcesCustomizers implements RedlockClientResourcesBuilderCustomizer, Ordered {

	private final ObjectProvider<ClientResourcesBuilderCustomizer> customizers;

	BootClientResourcesCustomizers(ObjectProvider<ClientResourcesBuilderCustomizer> customizers) {
		this.customizers = customizers;
	}

	@Override
	public void customize(ClientResources.Builder builder) {
		this.customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
