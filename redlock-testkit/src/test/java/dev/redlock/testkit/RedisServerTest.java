package dev.redlock.testkit;

import static dev.redlock.testkit.Probes.call;
import static dev.redlock.testkit.Probes.ping;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisServerTest {

	@Test
	void startsOnLoopbackAndAnswersPing() {
		try (RedisServer redis = RedisServer.start()) {
			assertThat(redis.isRunning()).isTrue();
			assertThat(redis.isPaused()).isFalse();
			assertThat(redis.host()).isEqualTo("127.0.0.1");
			assertThat(redis.port()).isPositive();
			assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.port());
			assertThat(ping(redis)).isEqualTo("+PONG");
			assertThat(call(redis, "INFO", "server")).contains("process_id:" + redis.pid());
			assertThat(redis).hasToString("RedisServer[127.0.0.1:" + redis.port() + ", pid " + redis.pid() + "]");
		}
	}

	@Test
	void restartsOnTheSamePortAfterKill() {
		try (RedisServer redis = RedisServer.start()) {
			int port = redis.port();
			long oldPid = redis.pid();
			call(redis, "SET", "key", "value");

			redis.kill();

			assertThat(redis.isRunning()).isFalse();
			assertThat(Probes.isGone(oldPid)).isTrue();
			assertThatThrownBy(() -> ping(redis)).isInstanceOf(UncheckedIOException.class);

			redis.restart();

			assertThat(redis.isRunning()).isTrue();
			assertThat(redis.port()).isEqualTo(port);
			assertThat(redis.pid()).isNotEqualTo(oldPid);
			assertThat(ping(redis)).isEqualTo("+PONG");
			assertThat(call(redis, "EXISTS", "key")).as("a restarted node is empty").isEqualTo(":0");
		}
	}

	@Test
	void restartOfARunningServerReplacesItsProcess() {
		try (RedisServer redis = RedisServer.start()) {
			long oldPid = redis.pid();

			redis.restart();

			assertThat(Probes.isGone(oldPid)).isTrue();
			assertThat(redis.pid()).isNotEqualTo(oldPid);
			assertThat(ping(redis)).isEqualTo("+PONG");
		}
	}

	@Test
	void pauseMakesItUnresponsiveUntilResumed() {
		try (RedisServer redis = RedisServer.start()) {
			redis.pause();

			assertThat(redis.isPaused()).isTrue();
			assertThat(redis.isRunning()).isTrue();
			assertThatThrownBy(() -> call(redis, Duration.ofMillis(300), "PING"))
					.hasCauseInstanceOf(SocketTimeoutException.class);
			assertThatThrownBy(redis::flushAll).isInstanceOf(IllegalStateException.class).hasMessageContaining("paused");

			redis.resume();

			assertThat(redis.isPaused()).isFalse();
			assertThat(ping(redis)).isEqualTo("+PONG");
		}
	}

	@Test
	void stopShutsDownGracefullyWithoutPersisting() throws Exception {
		try (RedisServer redis = RedisServer.start()) {
			long pid = redis.pid();
			call(redis, "SET", "key", "value");

			redis.stop();

			assertThat(redis.isRunning()).isFalse();
			assertThat(Probes.isGone(pid)).isTrue();
			assertThat(Files.readString(redis.logFile())).contains("SIGTERM").contains("ready to exit");
			// A graceful shutdown writes a snapshot whenever save points are configured.
			try (var files = Files.list(redis.logFile().getParent())) {
				assertThat(files.map(file -> file.getFileName().toString())).containsExactly("redis.log");
			}
		}
	}

	@Test
	void stopAndKillEndPausedServers() {
		try (RedisServer redis = RedisServer.start()) {
			redis.pause();
			long pausedPid = redis.pid();
			redis.stop();
			assertThat(Probes.isGone(pausedPid)).isTrue();
			assertThat(redis.isPaused()).isFalse();

			redis.restart();
			redis.pause();
			long killedPid = redis.pid();
			redis.kill();
			assertThat(Probes.isGone(killedPid)).isTrue();
			assertThat(redis.isPaused()).isFalse();
		}
	}

	@Test
	void flushAllDeletesEveryKey() {
		try (RedisServer redis = RedisServer.start()) {
			call(redis, "SET", "a", "1");
			call(redis, "SET", "b", "2");
			assertThat(call(redis, "DBSIZE")).isEqualTo(":2");

			redis.flushAll();

			assertThat(call(redis, "DBSIZE")).isEqualTo(":0");
		}
	}

	@Test
	void passesExtraArgumentsAndKeepsPasswordsOutOfToString() {
		try (RedisServer redis = RedisServer.builder().args("--requirepass", "s3cret").start()) {
			assertThat(ping(redis)).startsWith("-NOAUTH");
			assertThat(redis.toString()).doesNotContain("s3cret");
			assertThat(redis.uri()).doesNotContain("s3cret");

			redis.flushAll();
			redis.kill();
			redis.restart();
			assertThat(ping(redis)).startsWith("-NOAUTH");
		}
	}

	@Test
	void usesAFixedPortAndReportsAPortTakenBySomeoneElse() {
		try (RedisServer first = RedisServer.start();
				RedisServer second = RedisServer.builder().port(FreePorts.pick("127.0.0.1")).start()) {
			assertThat(ping(second)).isEqualTo("+PONG");

			assertThatThrownBy(() -> RedisServer.builder().port(first.port()).start())
					.isInstanceOf(IllegalStateException.class)
					.hasMessageContaining("127.0.0.1:" + first.port())
					.hasMessageContaining("Address already in use");
			assertThat(ping(first)).isEqualTo("+PONG");
		}
	}

	@Test
	void reportsAStartupFailureWithTheLog() {
		assertThatThrownBy(() -> RedisServer.builder().args("--no-such-option", "1").start())
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("exited with code")
				.hasMessageContaining("no-such-option");
	}

	@Test
	void closeIsIdempotentAndCleansUp() {
		RedisServer redis = RedisServer.start();
		long pid = redis.pid();
		redis.pause();

		redis.close();
		redis.close();

		assertThat(Probes.isGone(pid)).isTrue();
		assertThat(redis.isRunning()).isFalse();
		assertThat(redis.logFile().getParent()).doesNotExist();
		assertThatThrownBy(redis::restart).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
		assertThatThrownBy(redis::pause).isInstanceOf(IllegalStateException.class).hasMessageContaining("not running");
	}
}
