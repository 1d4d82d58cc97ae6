package dev.redlock.testkit;

import static dev.redlock.testkit.Probes.ping;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

/**
 * The helper in a real Spring test context, read back the way the starter reads its nodes:
 * bound by Spring Boot's {@link Binder} as a list.
 */
@SpringJUnitConfig
// Nodes the application's own configuration names: the test's servers must replace them, not join them.
@TestPropertySource(properties = { "redlock.nodes[0]=redis://configured-1:6379", "redlock.nodes[1]=redis://configured-2:6379",
		"redlock.nodes[2]=redis://configured-3:6379", "redlock.nodes[3]=redis://configured-4:6379" })
class RedlockTestPropertiesTest {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	@DynamicPropertySource
	static void redlockNodes(DynamicPropertyRegistry registry) {
		RedlockTestProperties.register(registry, redis);
	}

	@Autowired
	private ConfigurableEnvironment environment;

	@Test
	void theContextsNodesAreTheExtensionsServersInOrderAndNothingElse() {
		assertThat(nodes(environment)).isEqualTo(redis.uris()).hasSize(3);
		redis.servers().forEach(server -> assertThat(ping(server)).isEqualTo("+PONG"));
	}

	/** Binds {@code redlock.nodes} the way the starter's properties are bound. */
	static List<String> nodes(ConfigurableEnvironment environment) {
		ConfigurationPropertySources.attach(environment);
		return Binder.get(environment).bind(RedlockTestProperties.NODES, Bindable.listOf(String.class)).get();
	}
}
