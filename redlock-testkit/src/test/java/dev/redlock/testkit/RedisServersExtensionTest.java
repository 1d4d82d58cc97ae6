package dev.redlock.testkit;

import static dev.redlock.testkit.Probes.call;
import static dev.redlock.testkit.Probes.ping;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The methods run in order: the second checks that the failures the first injected were healed. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisServersExtensionTest {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private static List<String> urisBeforeAll;

	@BeforeAll
	static void recordAddresses(RedisServers servers) {
		urisBeforeAll = servers.uris();
	}

	@Test
	@Order(1)
	void injectsFailuresAndLeavesData(RedisServers servers) {
		assertThat(servers).isSameAs(redis.servers());
		assertThat(redis.size()).isEqualTo(3);
		redis.servers().forEach(server -> call(server, "SET", "left-over", "x"));

		redis.get(0).kill();
		redis.get(1).pause();
		redis.get(2).stop();
	}

	@Test
	@Order(2)
	void nextTestFindsEveryNodeHealedAndEmptyOnTheSamePorts() {
		assertThat(redis.uris()).isEqualTo(urisBeforeAll);
		redis.servers().forEach(server -> {
			assertThat(server.isRunning()).isTrue();
			assertThat(server.isPaused()).isFalse();
			assertThat(call(server, "DBSIZE")).isEqualTo(":0");
		});
	}

	@Test
	@Order(3)
	void flushesDataLeftByTheTestBefore() {
		call(redis.get(0), "SET", "left-over", "x");
		redis.get(0).pause();
	}

	@Test
	@Order(4)
	void findsThatDataGone() {
		assertThat(call(redis.get(0), "EXISTS", "left-over")).isEqualTo(":0");
	}

	@Nested
	class WhenNested {

		@Test
		void sharesTheEnclosingClassServers(RedisServers servers) {
			assertThat(servers).isSameAs(redis.servers());
			assertThat(redis.uris()).isEqualTo(urisBeforeAll);
			servers.forEach(server -> assertThat(ping(server)).isEqualTo("+PONG"));
		}
	}
}
