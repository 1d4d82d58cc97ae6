package dev.redlock.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;

/** The helper's shape of the properties and its refusals, without a Spring context or servers. */
class RedlockTestPropertiesShapeTest {

	private static final DynamicPropertyRegistry IGNORING = (name, value) -> {
	};

	@Test
	void aClusterNodeStaysOneElementWithItsCommas() {
		String cluster = "redis-cluster://127.0.0.1:7000,127.0.0.1:7001,127.0.0.1:7002";
		List<String> uris = List.of(cluster, "redis://127.0.0.1:6379");

		assertThat(RedlockTestPropertiesTest.nodes(registered(uris))).containsExactly(cluster, "redis://127.0.0.1:6379");
	}

	@Test
	void refusesAnEmptyList() {
		assertThatThrownBy(() -> RedlockTestProperties.register(IGNORING, List.of())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("redlock.nodes");
	}

	@Test
	void saysWhenTheExtensionsServersAreNotStarted() {
		RedisServersExtension notStarted = RedisServersExtension.nodes(3);

		assertThatThrownBy(() -> RedlockTestProperties.register(IGNORING, notStarted)).isInstanceOf(IllegalStateException.class).hasMessageContaining("static field");
	}

	private ConfigurableEnvironment registered(List<String> uris) {
		Map<String, Object> properties = new LinkedHashMap<>();
		RedlockTestProperties.register((name, value) -> properties.put(name, value.get()), uris);
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("registered", properties));
		return environment;
	}
}
