package dev.redlock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.redlock.testkit.RedisServer;
import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Passwords never show, on any surface a user or an operator sees: logs (the library's and
 * Lettuce's, at DEBUG), exception messages and their causes, {@code toString()} of the
 * Redlock, its nodes, the votes, and what the listener is told. Each test connects with a
 * password that is wrong, or to a node that is down, since failures are where URIs and driver
 * messages get printed.
 */
class CredentialLeakTests {

	/** The password on the server: never given to the client in the failing tests. */
	private static final String SERVER_PASSWORD = "Srv-Pass-7f3a9c";

	private static final String ALICE_PASSWORD = "Alice-Pass-51be20";

	/** What the client sends; it must appear nowhere. */
	private static final String WRONG_PASSWORD = "Wrong-Pass-c0ffee";

	private static RedisServer server;

	private final List<Throwable> clientErrors = new CopyOnWriteArrayList<>();

	private final List<Redlock> redlocks = new ArrayList<>();

	private LogCapture logs;

	@BeforeAll
	static void startServer() {
		server = RedisServer.builder()
			.args("--requirepass", SERVER_PASSWORD, "--user", "alice", "on", ">" + ALICE_PASSWORD, "~*", "&*", "+@all")
			.start();
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@BeforeEach
	void captureLogs() {
		this.logs = new LogCapture();
	}

	@AfterEach
	void closeAll() {
		this.redlocks.forEach(Redlock::close);
		this.logs.close();
	}

	@Test
	void aWrongPasswordAppearsNowhere() {
		Redlock redlock = redlock("redis://:" + WRONG_PASSWORD + "@127.0.0.1:" + server.port());
		assertAcquisitionFailsWithoutLeaking(redlock, WRONG_PASSWORD);
	}

	@Test
	void aWrongAclPasswordAppearsNowhere() {
		Redlock redlock = redlock("redis://alice:" + WRONG_PASSWORD + "@127.0.0.1:" + server.port());
		assertAcquisitionFailsWithoutLeaking(redlock, WRONG_PASSWORD);
	}

	@Test
	void thePasswordOfANodeThatIsDownAppearsNowhere() {
		try (RedisServer down = RedisServer.start()) {
			down.kill();
			Redlock redlock = redlock("redis://alice:" + WRONG_PASSWORD + "@127.0.0.1:" + down.port());
			assertAcquisitionFailsWithoutLeaking(redlock, WRONG_PASSWORD);
		}
	}

	@Test
	void aPasswordGivenAsARedisUriAppearsNowhere() {
		RedisURI uri = RedisURI.builder()
			.withHost("127.0.0.1")
			.withPort(server.port())
			.withAuthentication("alice", WRONG_PASSWORD.toCharArray())
			.build();
		Redlock redlock = Redlock.builder()
			.node(uri)
			.retryCount(1)
			.retryDelay(Duration.ofMillis(10))
			.listener(errorCollector())
			.build();
		this.redlocks.add(redlock);
		assertAcquisitionFailsWithoutLeaking(redlock, WRONG_PASSWORD);
	}

	@Test
	void theRightPasswordAppearsNowhereEither() {
		Redlock redlock = redlock("redis://alice:" + ALICE_PASSWORD + "@127.0.0.1:" + server.port());
		try (Lock lock = redlock.acquire("locks:secured", Duration.ofSeconds(5))) {
			assertThat(lock.isHeld()).isTrue();
			assertThat(lock.toString()).doesNotContain(ALICE_PASSWORD);
		}
		assertThat(redlock.toString()).doesNotContain(ALICE_PASSWORD).contains("redis://127.0.0.1:" + server.port());
		assertThat(String.join("\n", this.logs.events())).doesNotContain(ALICE_PASSWORD);
	}

	@Test
	void anInvalidOptionDoesNotEchoTheNodePasswords() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Redlock.builder()
				.nodes(List.of("redis://alice:" + WRONG_PASSWORD + "@127.0.0.1:1",
						"redis://alice:" + WRONG_PASSWORD + "@127.0.0.1:1"))
				.build())
			.satisfies((ex) -> assertThat(LogCapture.printed(ex)).doesNotContain(WRONG_PASSWORD));
	}

	private void assertAcquisitionFailsWithoutLeaking(Redlock redlock, String secret) {
		assertThat(redlock.toString()).doesNotContain(secret);
		assertThat(redlock.nodes()).noneMatch((node) -> node.contains(secret));
		assertThatExceptionOfType(LockAcquisitionException.class)
			.isThrownBy(() -> redlock.acquire("locks:secret", Duration.ofSeconds(5)))
			.satisfies((ex) -> {
				assertThat(ex.reason()).isEqualTo(LockAcquisitionException.Reason.QUORUM_UNREACHABLE);
				assertThat(ex.getMessage()).doesNotContain(secret);
				assertThat(ex.toString()).doesNotContain(secret);
				assertThat(LogCapture.printed(ex)).doesNotContain(secret);
				assertThat(ex.attempts()).isNotEmpty();
				for (AcquisitionAttempt attempt : ex.attempts()) {
					assertThat(attempt.toString()).doesNotContain(secret);
					for (NodeVote vote : attempt.votes()) {
						assertThat(vote.vote()).isEqualTo(NodeVote.Vote.FAILED);
						assertThat(vote.toString()).doesNotContain(secret);
						assertThat(vote.node()).doesNotContain(secret);
						assertThat(LogCapture.printed(vote.error())).doesNotContain(secret);
					}
				}
			});
		assertThatExceptionOfType(LockAcquisitionException.class)
			.isThrownBy(() -> redlock.tryAcquire("locks:secret", Duration.ofSeconds(5)))
			.satisfies((ex) -> assertThat(LogCapture.printed(ex)).doesNotContain(secret));
		assertThat(this.clientErrors).as("the listener heard the failures").isNotEmpty();
		for (Throwable error : this.clientErrors) {
			assertThat(LogCapture.printed(error)).doesNotContain(secret);
		}
		redlock.close();
		assertThat(this.logs.size()).as("DEBUG logging was captured").isPositive();
		assertThat(this.logs.events()).noneMatch((event) -> event.contains(secret));
	}

	private Redlock redlock(String uri) {
		Redlock redlock = Redlock.builder()
			.node(uri)
			.retryCount(1)
			.retryDelay(Duration.ofMillis(10))
			.listener(errorCollector())
			.build();
		this.redlocks.add(redlock);
		return redlock;
	}

	private RedlockListener errorCollector() {
		return new RedlockListener() {
			@Override
			public void onClientError(String node, Throwable error) {
				CredentialLeakTests.this.clientErrors.add(error);
			}
		};
	}

}
