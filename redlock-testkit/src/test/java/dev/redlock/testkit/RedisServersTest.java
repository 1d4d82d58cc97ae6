package dev.redlock.testkit;

import static dev.redlock.testkit.Probes.call;
import static dev.redlock.testkit.Probes.ping;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisServersTest {

	@Test
	void startsIndependentServersOnDistinctPorts() {
		try (RedisServers redis = RedisServers.start(3)) {
			assertThat(redis.size()).isEqualTo(3);
			assertThat(redis.stream().map(RedisServer::port)).doesNotHaveDuplicates();
			assertThat(redis.stream().map(RedisServer::pid)).doesNotHaveDuplicates();
			assertThat(redis.uris()).containsExactly(redis.get(0).uri(), redis.get(1).uri(), redis.get(2).uri());

			List<RedisServer> iterated = new ArrayList<>();
			redis.forEach(iterated::add);
			assertThat(iterated).containsExactly(redis.get(0), redis.get(1), redis.get(2));

			call(redis.get(0), "SET", "only-on-0", "x");
			assertThat(call(redis.get(1), "EXISTS", "only-on-0")).as("servers share nothing").isEqualTo(":0");
			redis.forEach(server -> assertThat(ping(server)).isEqualTo("+PONG"));
		}
	}

	@Test
	void healAllResumesAndRestartsOnTheSamePorts() {
		try (RedisServers redis = RedisServers.start(3)) {
			List<String> uris = redis.uris();
			redis.get(0).kill();
			redis.get(1).pause();
			redis.get(2).stop();

			redis.healAll();

			assertThat(redis.uris()).isEqualTo(uris);
			redis.forEach(server -> {
				assertThat(server.isRunning()).isTrue();
				assertThat(server.isPaused()).isFalse();
				assertThat(ping(server)).isEqualTo("+PONG");
			});
		}
	}

	@Test
	void flushAllEmptiesReachableServersAndSkipsUnreachableOnes() {
		try (RedisServers redis = RedisServers.start(3)) {
			redis.forEach(server -> call(server, "SET", "key", "value"));
			redis.get(1).pause();
			redis.get(2).kill();

			redis.flushAll();

			assertThat(call(redis.get(0), "DBSIZE")).isEqualTo(":0");
			redis.get(1).resume();
			assertThat(call(redis.get(1), "DBSIZE")).isEqualTo(":1");
		}
	}

	@Test
	void passesExtraArgumentsToEveryServer() {
		try (RedisServers redis = RedisServers.start(2, "--requirepass", "secret")) {
			redis.forEach(server -> assertThat(ping(server)).startsWith("-NOAUTH"));
			redis.flushAll();
		}
	}

	@Test
	void closeEndsEveryServerEvenPausedOnes() {
		RedisServers redis = RedisServers.start(3);
		List<Long> pids = redis.stream().map(RedisServer::pid).toList();
		redis.get(1).pause();

		redis.close();

		assertThat(pids).allMatch(Probes::isGone);
		assertThat(redis.stream().noneMatch(RedisServer::isRunning)).isTrue();
	}

	@Test
	void rejectsAnEmptyGroupAndClosesStartedServersWhenOneFails() {
		assertThatThrownBy(() -> RedisServers.start(0)).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> RedisServers.start(2, "--no-such-option", "1"))
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("no-such-option");
	}
}
