package dev.redlock.safety;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.redlock.Lock;
import dev.redlock.NodeInspector;
import dev.redlock.NodeVote;
import dev.redlock.Redlock;
import dev.redlock.testkit.RedisServersExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fencing tokens across nodes restarted empty (no persistence): a minority at once, and every
 * node one after the other, with and without a lock taken between two restarts. The last case
 * is the one quorum intersection cannot cover, since every counter is lost: the nodes' clock
 * floor does, on the assumption (docs/safety.md) that their clocks agree to within the time a
 * node is down.
 */
class FencingRestartTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private static final Duration TTL = Duration.ofSeconds(10);

	private static final Duration WAIT = Duration.ofSeconds(30);

	private Redlock redlock;

	private NodeInspector nodes;

	private final List<Long> tokens = new ArrayList<>();

	@BeforeEach
	void start() {
		this.redlock = Redlock.builder().nodes(redis.uris()).commandTimeout(Duration.ofMillis(500)).build();
		this.nodes = new NodeInspector(redis.servers());
	}

	@AfterEach
	void stop() {
		this.redlock.close();
		this.nodes.close();
	}

	@Test
	void aMinorityRestartedEmptyAtOnceBetweenHoldersKeepsTokensIncreasing() {
		for (int round = 0; round < 6; round++) {
			takeToken();
			redis.get(round % 3).kill();
			redis.get(round % 3).restart();
		}
		takeToken();
		assertStrictlyIncreasing();
	}

	@Test
	void aMinorityRestartedEmptyWhileTheLockIsHeldKeepsTokensIncreasing() {
		for (int round = 0; round < 3; round++) {
			// Reconnected to the node restarted last, so that every node grants the next lock.
			await().atMost(WAIT).until(() -> this.redlock.ping().toCompletableFuture().get().stream()
				.allMatch((vote) -> vote.vote() == NodeVote.Vote.GRANTED));
			try (Lock lock = this.redlock.acquire(List.of("locks:restarts"), TTL, WAIT)) {
				// Only a minority of the lock's holders may restart, or the lock itself is lost.
				await().atMost(WAIT).until(() -> this.nodes.valuesOnRunningNodes("locks:restarts")
					.stream()
					.allMatch(lock.value()::equals));
				redis.get(round).kill();
				redis.get(round).restart();
				this.tokens.add(lock.fencingToken());
			}
		}
		takeToken();
		assertStrictlyIncreasing();
	}

	@Test
	void everyNodeRestartedEmptyOneAfterTheOtherWithNoLockBetweenKeepsTokensIncreasing() {
		takeToken();
		for (int node = 0; node < 3; node++) {
			redis.get(node).kill();
			redis.get(node).restart();
		}
		// Every counter is gone now: only the clock floor stands between the next token and 1.
		takeToken();
		takeToken();
		assertStrictlyIncreasing();
	}

	@Test
	void everyNodeRestartedEmptyOneAfterTheOtherWithLocksBetweenKeepsTokensIncreasing() {
		takeToken();
		for (int round = 0; round < 2; round++) {
			for (int node = 0; node < 3; node++) {
				redis.get(node).kill();
				redis.get(node).restart();
				takeToken();
			}
		}
		assertStrictlyIncreasing();
	}

	private void takeToken() {
		try (Lock lock = this.redlock.acquire(List.of("locks:restarts"), TTL, WAIT)) {
			this.tokens.add(lock.fencingToken());
		}
	}

	private void assertStrictlyIncreasing() {
		assertThat(this.tokens).as("tokens in acquisition order").isSortedAccordingTo(Long::compare).doesNotHaveDuplicates();
	}

}
