package dev.redlock.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.redlock.Lock;
import dev.redlock.NodeInspector;
import dev.redlock.Redlock;
import dev.redlock.testkit.RedisServersExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * When the nodes' waiting lines disagree, the key's designated node decides: its head claims
 * the key everywhere, taking the reservations the other nodes made for their own heads. Here
 * the other heads are a waiter of a process that died, which will never claim, and the
 * fallback poll is a minute: without that rule the head's claim splits the vote, and the lock
 * is not handed over within the test's bound.
 */
class LineDisagreementTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private static final Duration TTL = Duration.ofSeconds(30);

	private static final Duration GENEROUS = Duration.ofSeconds(30);

	private NodeInspector nodes;

	private Redlock holder;

	private Redlock waiter;

	@BeforeEach
	void start() {
		this.nodes = new NodeInspector(redis.servers());
		this.holder = Redlock.builder().nodes(redis.uris()).build();
		this.waiter = Redlock.builder().nodes(redis.uris()).retryDelay(Duration.ofSeconds(60)).retryJitter(Duration.ZERO).build();
	}

	@AfterEach
	void stop() {
		this.waiter.close();
		this.holder.close();
		this.nodes.close();
	}

	@Test
	void theHeadOfTheDesignatedNodesLineTakesTheKeyWhereOtherNodesReservedItForAnother() throws Exception {
		String key = "locks:line:disagree";
		int designated = SplitRule.designated(new String[] { key }, redis.size());
		Lock held = this.holder.acquire(key, TTL);
		for (int node = 0; node < redis.size(); node++) {
			if (node != designated) {
				this.nodes.enterLine(node, key, "gone.1");
			}
		}
		CompletableFuture<Lock> waiting = this.waiter.acquireAsync(key, TTL).toCompletableFuture();
		await().atMost(GENEROUS).until(() -> this.nodes.line(designated, key).size() == 1
				&& this.nodes.line((designated + 1) % 3, key).size() == 2 && this.nodes.line((designated + 2) % 3, key).size() == 2);
		assertThat(this.nodes.line((designated + 1) % 3, key).get(0)).isEqualTo("gone.1");

		long[] before = this.nodes.callsByNode("get");
		held.release();
		Lock next = waiting.get(20, TimeUnit.SECONDS);
		this.nodes.awaitEverywhere(key, next.value());
		// After the release's own GET, one claim on each node, and one re-ask where the claim
		// overtook the holder's release: no wait for the other nodes' reservations to lapse.
		long[] after = this.nodes.callsByNode("get");
		for (int node = 0; node < redis.size(); node++) {
			assertThat(after[node] - before[node]).as("GETs on node %d", node).isBetween(2L, 3L);
		}
		assertThat(this.nodes.line(designated, key)).isEmpty();
		next.release();
		await().atMost(GENEROUS).until(() -> List.of(0, 1, 2).stream().allMatch((node) -> this.nodes.get(node, key) == null
				&& this.nodes.line(node, key).isEmpty()));
	}

}
