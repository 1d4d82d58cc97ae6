package dev.redlock.internal;

import java.time.Duration;
import java.util.ArrayList;
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
 * the key everywhere, taking the reservations the other nodes made for their own heads, and
 * puts those heads back at the front of their nodes' lines, so the lines agree again. The
 * fallback poll is a minute: whatever happens after a release comes from the lines.
 */
class LineDisagreementTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private static final Duration TTL = Duration.ofSeconds(30);

	private static final Duration GENEROUS = Duration.ofSeconds(30);

	private NodeInspector nodes;

	private Redlock holder;

	private Redlock waiter;

	private final List<Redlock> others = new ArrayList<>();

	@BeforeEach
	void start() {
		this.nodes = new NodeInspector(redis.servers());
		this.holder = Redlock.builder().nodes(redis.uris()).build();
		this.waiter = Redlock.builder().nodes(redis.uris()).retryDelay(Duration.ofSeconds(60)).retryJitter(Duration.ZERO).build();
	}

	@AfterEach
	void stop() {
		this.others.forEach(Redlock::close);
		this.waiter.close();
		this.holder.close();
		this.nodes.close();
	}

	/**
	 * The other heads are a waiter of a process that died, which will never claim: without the
	 * rule the head's claim splits the vote, and the lock is not handed over within the test's
	 * bound.
	 */
	@Test
	void theHeadOfTheDesignatedNodesLineTakesTheKeyWhereOtherNodesReservedItForAnother() throws Exception {
		String key = "locks:line:disagree";
		int designated = SplitRule.designated(new String[] { key }, redis.size());
		Lock held = this.holder.acquire(key, TTL);
		this.nodes.enterLineOnAllBut(designated, key, "gone.1");
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
		for (int node = 0; node < redis.size(); node++) {
			if (node != designated) {
				assertThat(this.nodes.line(node, key)).as("line on node %d", node).containsExactly("gone.1");
			}
		}
		// Reserved once more for the dead waiter, on two nodes, the key lapses from there.
		next.release();
		awaitGone(key);
	}

	/**
	 * Three waiters, each a process of its own, entered the line in order, but one node other
	 * than the designated one had the first two the other way round: the release reserves the
	 * key for the first waiter on a quorum and for the second on that node. The first takes
	 * the key everywhere, and the second goes back to the front of that node's line: every
	 * line is the same again, and the next releases go down it in order. Without the second's
	 * place back, that node's line would name the third at the next release.
	 */
	@Test
	void aHeadWhoseReservationWasTakenKeepsItsPlaceAndTheLinesAgreeAgain() throws Exception {
		String key = "locks:line:in-step";
		int designated = SplitRule.designated(new String[] { key }, redis.size());
		int reordered = (designated + 1) % redis.size();
		Lock held = this.holder.acquire(key, TTL);
		List<CompletableFuture<Lock>> waiting = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			Redlock process = (i == 0) ? this.waiter : Redlock.builder().nodes(redis.uris())
				.retryDelay(Duration.ofSeconds(60)).retryJitter(Duration.ZERO).build();
			if (i > 0) {
				this.others.add(process);
			}
			waiting.add(process.acquireAsync(key, TTL).toCompletableFuture());
			int length = i + 1;
			await().atMost(GENEROUS).until(() -> List.of(0, 1, 2).stream().allMatch((node) -> this.nodes.line(node, key).size() == length));
		}
		List<String> ids = this.nodes.line(designated, key);
		this.nodes.replaceLine(reordered, key, List.of(ids.get(1), ids.get(0), ids.get(2)));

		held.release();
		Lock first = waiting.get(0).get(20, TimeUnit.SECONDS);
		this.nodes.awaitEverywhere(key, first.value());
		await().atMost(GENEROUS).untilAsserted(() -> {
			for (int node = 0; node < redis.size(); node++) {
				assertThat(this.nodes.line(node, key)).as("line on node %d", node).containsExactly(ids.get(1), ids.get(2));
			}
		});

		first.release();
		Lock second = waiting.get(1).get(20, TimeUnit.SECONDS);
		assertThat(waiting.get(2)).isNotDone();
		second.release();
		waiting.get(2).get(20, TimeUnit.SECONDS).release();
		awaitGone(key);
	}

	/**
	 * Another owner's lock holds the key on the two other nodes when the holder's release
	 * reaches the designated node alone, which reserves the key for the waiter. Its claim meets
	 * that lock on a quorum, as each node says: no split to keep, nor one to back off from in
	 * a few round trips. It gives its one grant back at once, enters the line again and sleeps
	 * until a release, where it used to keep the grant, re-ask three times, and then come back
	 * again and again over a back-off window starting at a millisecond.
	 */
	@Test
	void aHeadThatMeetsAnotherOwnersLockOnAQuorumWaitsForItsRelease() throws Exception {
		String key = "locks:line:locked-out";
		int designated = SplitRule.designated(new String[] { key }, redis.size());
		Lock held = this.holder.acquire(key, TTL);
		CompletableFuture<Lock> waiting = this.waiter.acquireAsync(key, TTL).toCompletableFuture();
		await().atMost(GENEROUS).until(() -> List.of(0, 1, 2).stream().allMatch((node) -> this.nodes.line(node, key).size() == 1));
		for (int node = 0; node < redis.size(); node++) {
			if (node != designated) {
				this.nodes.set(node, key, "another-owner", TTL);
			}
		}
		long[] before = this.nodes.callsByNode("evalsha");

		held.release();

		// On every node the holder's release (a no-op where the other owner is), the head's
		// claim and its entry in line again; on the designated node also its undo.
		long[] expected = { 3, 3, 3 };
		expected[designated] = 4;
		await().during(Duration.ofSeconds(1)).atMost(GENEROUS).untilAsserted(() -> {
			long[] now = this.nodes.callsByNode("evalsha");
			for (int node = 0; node < redis.size(); node++) {
				assertThat(now[node] - before[node]).as("scripts on node %d", node).isEqualTo(expected[node]);
			}
		});
		assertThat(this.nodes.get(designated, key)).isNull();
		assertThat(waiting).isNotDone();
	}

	private void awaitGone(String key) {
		await().atMost(GENEROUS).until(() -> List.of(0, 1, 2).stream().allMatch((node) -> this.nodes.get(node, key) == null
				&& this.nodes.line(node, key).isEmpty()));
	}

}
