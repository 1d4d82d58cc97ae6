package dev.redlock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.redlock.NodeVote.Vote;
import dev.redlock.testkit.RedisServersExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Waiters in different processes, woken by the same release, race for the keys on their
 * designated node alone: one wins there and then asks the other nodes, which nobody else
 * asked, so the vote never splits among them. That is how waiters for several resources meet;
 * a single resource's waiters wait in line instead ({@link WaitingLineTests}). The fallback
 * poll is a minute, so everything the nodes count after the release comes from the wake-ups.
 */
class WakeUpRaceTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private static final Duration POLL = Duration.ofSeconds(60);

	private static final Duration GENEROUS = Duration.ofSeconds(30);

	private static final int WAITERS = 8;

	@RegisterExtension
	final OpenedRedlocks opened = new OpenedRedlocks(redis);

	private Redlock redlock() {
		return this.opened.open(this.opened.onTheNodes().retryDelay(POLL).retryJitter(Duration.ZERO));
	}

	@Test
	void waitersWokenByOneReleaseMeetOnTheDesignatedNodeAndOnlyTheWinnerAsksTheOthers() throws Exception {
		String key = "locks:race";
		List<String> resources = List.of(key, "locks:race:other");
		Lock held = redlock().acquire(resources, Duration.ofSeconds(30));
		List<CompletableFuture<Lock>> waiting = new ArrayList<>();
		for (int i = 0; i < WAITERS; i++) {
			waiting.add(redlock().acquireAsync(resources, Duration.ofSeconds(30)).toCompletableFuture());
		}
		awaitSubscribers(key, WAITERS);
		long[] before = scriptCalls();

		held.release();
		CompletableFuture<Object> first = CompletableFuture.anyOf(waiting.toArray(CompletableFuture[]::new));
		Lock next = (Lock) first.get(20, TimeUnit.SECONDS);
		// On each node the holder's release, then every woken waiter probes the designated
		// node once; wait until all of them did.
		await().atMost(GENEROUS).until(() -> Arrays.stream(delta(before)).max().getAsLong() == WAITERS + 1);

		long[] made = delta(before);
		Arrays.sort(made);
		// The winner's second half: one acquire script on each other node, nobody else's.
		assertThat(made).containsExactly(2, 2, WAITERS + 1);
		assertThat(waiting.stream().filter(CompletableFuture::isDone)).hasSize(1);
		assertThat(next.isHeld()).isTrue();
		next.release();
	}

	/**
	 * A lock on several of a waiter's keys is told of once per key, by every node: that is one
	 * release, and it wakes the waiter once. Here the release is told by hand while the keys
	 * stay held, so the waiter's probe of the designated node is refused, and the second key's
	 * messages come once that probe was made: a second wake-up would show as a second probe.
	 */
	@Test
	void oneReleaseToldForEachOfAWaitersKeysWakesItOnce() throws Exception {
		List<String> resources = List.of("locks:race:once", "locks:race:once:other");
		Lock held = redlock().acquire(resources, Duration.ofSeconds(30));
		CompletableFuture<Lock> waiting = redlock().acquireAsync(resources, Duration.ofSeconds(30)).toCompletableFuture();
		resources.forEach((key) -> awaitSubscribers(key, 1));
		long[] before = scriptCalls();

		tellReleasedByHand(resources.get(0));
		await().atMost(GENEROUS).until(() -> Arrays.stream(delta(before)).sum() == 1);
		tellReleasedByHand(resources.get(1));
		await().during(Duration.ofSeconds(1)).atMost(GENEROUS)
			.untilAsserted(() -> assertThat(Arrays.stream(delta(before)).sum()).as("probes").isOne());
		assertThat(waiting).isNotDone();

		held.release();
		waiting.get(20, TimeUnit.SECONDS).release();
	}

	@Test
	void anAttemptThatLostTheDesignatedNodeReportsTheOtherNodesAsNotAsked() {
		String key = "locks:race:report";
		Lock held = redlock().acquire(key, Duration.ofSeconds(30));
		Redlock waiter = this.opened.open(this.opened.onTheNodes().retryCount(1).retryDelay(Duration.ofMillis(20)));
		assertThatExceptionOfType(LockAcquisitionException.class).isThrownBy(() -> waiter.acquire(key, Duration.ofSeconds(30)))
			.satisfies((ex) -> {
				assertThat(ex.attempts()).hasSize(2);
				assertThat(ex.attempts().get(0).count(Vote.REFUSED)).isEqualTo(3);
				AcquisitionAttempt retry = ex.attempts().get(1);
				assertThat(retry.count(Vote.REFUSED)).isEqualTo(1);
				assertThat(retry.count(Vote.NOT_ASKED)).isEqualTo(2);
			});
		held.release();
	}

	private void tellReleasedByHand(String key) {
		for (int node = 0; node < redis.size(); node++) {
			this.opened.nodes().publish(node, "redlock:releases:" + key, "told-by-hand " + key);
		}
	}

	private void awaitSubscribers(String key, long count) {
		await().atMost(GENEROUS).until(() -> {
			for (int i = 0; i < redis.size(); i++) {
				if (this.opened.nodes().listeners(i, key) != count) {
					return false;
				}
			}
			return true;
		});
	}

	private long[] delta(long[] before) {
		long[] now = scriptCalls();
		for (int i = 0; i < now.length; i++) {
			now[i] -= before[i];
		}
		return now;
	}

	private long[] scriptCalls() {
		return this.opened.nodes().callsByNode("evalsha");
	}

}
