package dev.redlock.spring.boot;

import io.lettuce.core.resource.ClientResources;

/**
 * Adjusts the Lettuce {@link ClientResources} of the auto-configured Redlock's clients before
 * they are built, like Spring Boot's {@code ClientResourcesBuilderCustomizer} does for Spring
 * Data Redis; those are applied to the Redlock's resources too, first, so that Lettuce
 * tracing and metrics reach the nodes of the locks as well. Customizers run in
 * {@link org.springframework.core.annotation.Order} order.
 */
@FunctionalInterface
public interface RedlockClientResourcesBuilderCustomizer {

	/**
	 * Customizes the builder.
	 * @param builder the builder of the Redlock's client resources
	 */
	void customize(ClientResources.Builder builder);

}
