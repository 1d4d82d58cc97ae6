package dev.redlock.spring.boot;

import java.util.List;

import dev.redlock.NodeUris;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Node URIs: every form Lettuce takes is accepted, a node listed twice in another spelling
 * is caught, and credentials never reach a message.
 */
class RedlockPropertiesValidatorTests {

	@Test
	void acceptsEveryFormOfRedisUri() {
		RedlockProperties properties = new RedlockProperties();
		properties.setNodes(List.of("redis://10.0.0.1:6379", "rediss://10.0.0.2:6380", "redis://user:secret@10.0.0.3:6379",
				"redis://:secret@10.0.0.4", "redis://10.0.0.5:6379/3", "redis://[::1]:6379",
				"redis-sentinel://10.0.0.6:26379,10.0.0.7:26379/0#mymaster",
				"redis-sentinel://secret@10.0.0.8:26379#other"));
		assertThatNoException().isThrownBy(() -> RedlockPropertiesValidator.validate(properties));
	}

	@Test
	void findsTheSameNodeInAnotherSpelling() {
		assertDuplicate("redis://cache-1:6379", "redis://user:pw@CACHE-1:6379/0");
		assertDuplicate("redis://cache-1", "redis://cache-1:6379");
		assertDuplicate("redis-sentinel://a:26379,b:26379#m", "redis-sentinel://b:26379,a:26379#m");
	}

	@Test
	void refusesOneServerListedOnTwoDatabases() {
		// One server votes once, whatever database each URI names: the core builder refuses
		// it too, and the two must agree so the property is named at start-up.
		assertDuplicate("redis://cache-1:6379/1", "redis://cache-1:6379/2");
	}

	@Test
	void rejectsABlankNode() {
		RedlockProperties properties = new RedlockProperties();
		properties.setNodes(List.of("redis://cache-1:6379", " "));
		assertThatExceptionOfType(RedlockConfigurationException.class)
			.isThrownBy(() -> RedlockPropertiesValidator.validate(properties))
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("redlock.nodes[1]"));
	}

	@Test
	void masksEverythingBetweenTheSchemeAndTheLastAt() {
		assertThat(NodeUris.mask("redis://user:p@ss@host:6379")).isEqualTo("redis://****@host:6379");
		assertThat(NodeUris.mask("redis://host:6379")).isEqualTo("redis://host:6379");
		assertThat(NodeUris.mask("user:pw@host")).isEqualTo("****@host");
	}

	private static void assertDuplicate(String first, String second) {
		RedlockProperties properties = new RedlockProperties();
		properties.setNodes(List.of(first, second));
		assertThatExceptionOfType(RedlockConfigurationException.class)
			.isThrownBy(() -> RedlockPropertiesValidator.validate(properties))
			.satisfies((ex) -> {
				assertThat(ex.getProperty()).isEqualTo("redlock.nodes[1]");
				assertThat(ex.getReason()).contains("same node as redlock.nodes[0]");
				assertThat(ex.getMessage()).doesNotContain("pw");
			});
	}

}
