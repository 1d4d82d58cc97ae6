package dev.redlock.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.redlock.Lock;
import dev.redlock.NodeInspector;
import dev.redlock.Redlock;
import dev.redlock.testkit.FaultProxy;
import dev.redlock.testkit.RedisServersExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A holder's release that reaches one node late, after the claim of the next line head, which
 * that node refused since the lock was still there. The head wins on the other nodes, and takes
 * the late node up once the release lands there and reserves the key for it: the release must
 * not hand the key to the next waiter instead, who would wake for a key it cannot win. The late
 * node is the key's designated node, whose word alone wakes a head. The holder reaches it
 * through a proxy that holds the release while blackholed; the fallback poll is a minute.
 */
class LateReleaseTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private static final String KEY = "locks:late-release";

	private static final int LATE = SplitRule.designated(new String[] { KEY }, 3);

	private static final Duration TTL = Duration.ofSeconds(30);

	private static final Duration GENEROUS = Duration.ofSeconds(30);

	/** Longer than any wait below: the head waits for the late node no longer than this. */
	private static final Duration PATIENT = Duration.ofSeconds(120);

	private NodeInspector nodes;

	private FaultProxy proxy;

	private Redlock holder;

	private Lock held;

	private final List<Redlock> waiters = new ArrayList<>();

	private final List<FaultProxy> otherProxies = new ArrayList<>();

	@BeforeEach
	void start() {
		this.nodes = new NodeInspector(redis.servers());
		this.proxy = FaultProxy.to(redis.servers().get(LATE));
		List<String> uris = new ArrayList<>(redis.uris());
		uris.set(LATE, this.proxy.uri());
		this.holder = Redlock.builder().nodes(uris).commandTimeout(PATIENT).build();
	}

	@AfterEach
	void stop() {
		this.proxy.heal();
		this.otherProxies.forEach(FaultProxy::heal);
		this.waiters.forEach(Redlock::close);
		this.holder.close();
		this.proxy.close();
		this.otherProxies.forEach(FaultProxy::close);
		this.nodes.close();
	}

	@Test
	void theHeadTakesUpTheNodeOnceTheReleaseLandsThere() throws Exception {
		List<CompletableFuture<Lock>> waiting = waitBehindTheHolder(3, PATIENT);
		long[] before = this.nodes.callsByNode("evalsha");
		releaseLate();
		Lock head = waiting.get(0).get(20, TimeUnit.SECONDS);
		assertThat(head.grantedBy()).hasSize(2);
		assertThat(this.nodes.line(LATE, KEY)).as("the head keeps its place on the late node").hasSize(3);

		this.proxy.heal();

		this.nodes.awaitEverywhere(KEY, head.value());
		// On the late node its refused claim, the release, and its claim again; nothing from the others.
		long[] expected = { 2, 2, 2 };
		expected[LATE] = 3;
		await().during(Duration.ofMillis(500)).atMost(GENEROUS)
			.untilAsserted(() -> assertThat(delta(before)).containsExactly(expected));
		assertThat(waiting.subList(1, 3)).noneMatch(CompletableFuture::isDone);
		for (int node = 0; node < redis.size(); node++) {
			assertThat(this.nodes.line(node, KEY)).as("line on node %d", node).isEqualTo(this.nodes.line(LATE, KEY))
				.hasSize(2);
		}
		head.release();
		Lock next = waiting.get(1).get(20, TimeUnit.SECONDS);
		this.nodes.awaitEverywhere(KEY, next.value());
		next.release();
	}

	@Test
	void theHeadStopsWaitingForTheLateNodeWhenItReleasesItsLock() throws Exception {
		List<CompletableFuture<Lock>> waiting = waitBehindTheHolder(3, PATIENT);
		releaseLate();
		Lock head = waiting.get(0).get(20, TimeUnit.SECONDS);

		head.release();

		// Out of the late node's line while the release is still held: the next head gets it there.
		await().atMost(GENEROUS).untilAsserted(() -> assertThat(this.nodes.line(LATE, KEY)).hasSize(2));
		Lock next = waiting.get(1).get(20, TimeUnit.SECONDS);
		this.proxy.heal();
		this.nodes.awaitEverywhere(KEY, next.value());
		assertThat(waiting.get(2)).isNotDone();
		next.release();
	}

	@Test
	void theHeadStopsWaitingForTheLateNodeAfterTheCommandTimeout() throws Exception {
		List<CompletableFuture<Lock>> waiting = waitBehindTheHolder(2, Duration.ofSeconds(1));
		releaseLate();
		Lock head = waiting.get(0).get(20, TimeUnit.SECONDS);

		// The release never lands while the head holds the lock: it claims once more, is refused, and leaves.
		await().atMost(GENEROUS).untilAsserted(() -> assertThat(this.nodes.line(LATE, KEY)).hasSize(1));
		assertThat(head.isHeld()).isTrue();
		assertThat(this.nodes.get(LATE, KEY)).isNotEqualTo(head.value());
		head.release();
	}

	/**
	 * The other way round: the release reaches the designated node alone, whose word wakes the
	 * head, and is held on its way to the two others. There the head's claim meets the very
	 * lock whose release woke it: no other owner's, so it keeps its one grant and re-asks, as
	 * for a split, rather than give up as it would before a lock that stays. Once the release
	 * lands, the nodes' word takes it to the lock.
	 */
	@Test
	void aHeadWokenByTheDesignatedNodeKeepsItsGrantWhileTheReleaseIsOnItsWayToTheOthers() throws Exception {
		List<String> uris = new ArrayList<>(redis.uris());
		for (int node = 0; node < redis.size(); node++) {
			if (node != LATE) {
				FaultProxy other = FaultProxy.to(redis.servers().get(node));
				this.otherProxies.add(other);
				uris.set(node, other.uri());
			}
		}
		Redlock releasingLate = Redlock.builder().nodes(uris).commandTimeout(PATIENT).build();
		this.waiters.add(releasingLate);
		this.held = releasingLate.acquire(KEY, TTL);
		Redlock waiter = Redlock.builder().nodes(redis.uris()).retryDelay(Duration.ofSeconds(60)).retryJitter(Duration.ZERO)
			.commandTimeout(PATIENT).build();
		this.waiters.add(waiter);
		CompletableFuture<Lock> waiting = waiter.acquireAsync(KEY, TTL).toCompletableFuture();
		await().atMost(GENEROUS).until(() -> everyLineHas(1));
		this.otherProxies.forEach(FaultProxy::blackhole);
		long[] before = this.nodes.callsByNode("evalsha");

		this.held.releaseAsync();

		// The designated node: the release, the claim, its undo, the entry again. The others:
		// the claim, three re-asks, the entry again.
		long[] expected = { 5, 5, 5 };
		expected[LATE] = 4;
		await().during(Duration.ofSeconds(1)).atMost(GENEROUS)
			.untilAsserted(() -> assertThat(delta(before)).containsExactly(expected));
		assertThat(waiting).isNotDone();
		this.otherProxies.forEach(FaultProxy::heal);
		this.nodes.awaitEverywhere(KEY, waiting.get(20, TimeUnit.SECONDS).value());
	}

	/**
	 * The holder takes the key, then {@code count} waiters, each of a Redlock of its own, enter
	 * its line one after the other.
	 */
	private List<CompletableFuture<Lock>> waitBehindTheHolder(int count, Duration commandTimeout) {
		this.held = this.holder.acquire(KEY, TTL);
		List<CompletableFuture<Lock>> waiting = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			Redlock waiter = Redlock.builder()
				.nodes(redis.uris())
				.retryDelay(Duration.ofSeconds(60))
				.retryJitter(Duration.ZERO)
				.commandTimeout(commandTimeout)
				.build();
			this.waiters.add(waiter);
			waiting.add(waiter.acquireAsync(KEY, TTL).toCompletableFuture());
			int length = i + 1;
			await().atMost(GENEROUS).until(() -> everyLineHas(length));
		}
		return waiting;
	}

	/** Releases the holder's lock, its way to the late node blackholed: the release lands there on heal. */
	private void releaseLate() {
		this.proxy.blackhole();
		this.held.releaseAsync();
	}

	private boolean everyLineHas(int length) {
		for (int node = 0; node < redis.size(); node++) {
			if (this.nodes.line(node, KEY).size() != length) {
				return false;
			}
		}
		return true;
	}

	private long[] delta(long[] before) {
		long[] now = this.nodes.callsByNode("evalsha");
		long[] delta = new long[now.length];
		for (int i = 0; i < now.length; i++) {
			delta[i] = now[i] - before[i];
		}
		return delta;
	}

}
