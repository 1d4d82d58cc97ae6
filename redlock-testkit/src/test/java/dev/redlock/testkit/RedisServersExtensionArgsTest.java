package dev.redlock.testkit;

import static dev.redlock.testkit.Probes.ping;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Healing and flushing before each test must authenticate against password-protected nodes. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisServersExtensionArgsTest {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(2, "--requirepass", "x");

	@Test
	@Order(1)
	void passesTheArgumentsToEveryNode() {
		redis.servers().forEach(server -> assertThat(ping(server)).startsWith("-NOAUTH"));
		redis.get(1).kill();
	}

	@Test
	@Order(2)
	void restartsNodesWithTheSameArguments() {
		assertThat(redis.get(1).isRunning()).isTrue();
		assertThat(ping(redis.get(1))).startsWith("-NOAUTH");
	}
}
