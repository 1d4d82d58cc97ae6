package dev.redlock.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.redlock.Lock;
import dev.redlock.NodeInspector;
import dev.redlock.Redlock;
import dev.redlock.testkit.RedisServersExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A split vote resolved by rule, with real nodes: the acquisition wins the key's designated
 * node, a yielding contender holds another and a third owner the last, so nobody has a
 * quorum. The keeper keeps the designated node and re-asks only the node that refused it,
 * once the contender's undo has landed: one extra round trip, the same token, and not one
 * command more to the nodes it kept.
 *
 * <p>
 * The order on the contended node is made, not hoped for: that node is paused (SIGSTOP)
 * while the keeper's SET and then the contender's undo reach it, so on resume it refuses the
 * SET and then applies the undo, as a node does when two contenders race.
 */
class SplitResolutionTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private static final Duration GENEROUS = Duration.ofSeconds(30);

	private NodeInspector nodes;

	private final RedisClient client = RedisClient.create();

	@BeforeEach
	void inspect() {
		this.nodes = new NodeInspector(redis.servers());
	}

	@AfterEach
	void close() {
		this.nodes.close();
		this.client.shutdown(0, 2, TimeUnit.SECONDS);
	}

	@Test
	void theContenderThatWonTheDesignatedNodeKeepsItAndCompletesInOneExtraRoundTrip() throws Exception {
		String key = keyDesignating(0);
		int contended = 1;
		int heldElsewhere = 2;
		this.nodes.set(heldElsewhere, key, "a-third-owner");
		this.nodes.set(contended, key, "a-yielding-contender");
		try (StatefulRedisConnection<String, String> contender = this.client
			.connect(RedisURI.create(redis.get(contended).uri()));
				Redlock keeper = Redlock.builder()
					.nodes(redis.uris())
					.retryCount(1)
					.retryDelay(Duration.ofSeconds(60))
					.retryJitter(Duration.ZERO)
					.commandTimeout(Duration.ofSeconds(10))
					.releaseNotifications(false)
					.build()) {
			long setsBefore0 = this.nodes.calls(0, "set");
			long setsBefore1 = this.nodes.calls(contended, "set");
			redis.get(contended).pause();
			CompletableFuture<Lock> acquiring;
			String keptToken;
			try {
				acquiring = keeper.acquireAsync(key, Duration.ofSeconds(30)).toCompletableFuture();
				// The designated node granted; the SET to the paused node is in its socket.
				await().atMost(GENEROUS).until(() -> this.nodes.get(0, key) != null);
				keptToken = this.nodes.get(0, key);
				// The contender yields: its undo reaches the paused node after the keeper's SET.
				contender.async().del(key);
			}
			finally {
				redis.get(contended).resume();
			}
			Lock lock = acquiring.get(GENEROUS.toSeconds(), TimeUnit.SECONDS);

			assertThat(lock.value()).as("the token of the first attempt, kept").isEqualTo(keptToken);
			assertThat(this.nodes.calls(0, "set") - setsBefore0).as("SETs to the kept, designated node").isEqualTo(1);
			assertThat(this.nodes.calls(contended, "set") - setsBefore1).as("SETs to the re-asked node: refused, then granted")
				.isEqualTo(2);
			assertThat(this.nodes.get(contended, key)).isEqualTo(keptToken);
			assertThat(this.nodes.get(heldElsewhere, key)).isEqualTo("a-third-owner");
			lock.release();
			assertThat(this.nodes.get(0, key)).isNull();
		}
	}

	/** A key whose designated node, among three, is {@code node}. */
	private static String keyDesignating(int node) {
		for (int i = 0;; i++) {
			String key = "locks:split:" + i;
			if (SplitRule.designated(new String[] { key }, 3) == node) {
				return key;
			}
		}
	}

}
