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
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Waiting lines: a single-resource waiter enters its key's line on every node, and a release
 * hands the key to the head of the line, reserved for it, and tells it alone. Each Redlock
 * here stands for a process of its own. The fallback poll is a minute, so whatever happens
 * after a release comes from the lines and their notifications; every wait is for what the
 * nodes say (their lines, their command counts, their subscribers).
 */
class WaitingLineTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private static final Duration POLL = Duration.ofSeconds(60);

	private static final Duration GENEROUS = Duration.ofSeconds(30);

	private static final Duration TTL = Duration.ofSeconds(30);

	@RegisterExtension
	final OpenedRedlocks opened = new OpenedRedlocks(redis);

	private Redlock redlock() {
		return redlock(POLL);
	}

	private Redlock redlock(Duration retryDelay) {
		return this.opened.open(this.opened.onTheNodes().retryDelay(retryDelay).retryJitter(Duration.ZERO));
	}

	@Test
	void waitersInDifferentProcessesAreServedInTheOrderTheyEnteredTheLine() throws Exception {
		String key = "locks:line:order";
		Lock held = redlock().acquire(key, TTL);
		List<CompletableFuture<Lock>> waiting = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			waiting.add(redlock().acquireAsync(key, TTL).toCompletableFuture());
			awaitLineLength(key, i + 1);
		}

		held.release();
		for (int turn = 0; turn < waiting.size(); turn++) {
			Lock next = (Lock) CompletableFuture.anyOf(waiting.stream().filter((w) -> !isReleased(w))
				.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
			assertThat(next).as("turn %d", turn).isSameAs(waiting.get(turn).getNow(null));
			assertThat(waiting.subList(turn + 1, waiting.size())).as("nobody after the head holds it")
				.noneMatch(CompletableFuture::isDone);
			next.release();
		}
		awaitGone(key);
	}

	@Test
	void aReleaseWakesOnlyTheHeadWhichClaimsEveryNodeAtOnce() throws Exception {
		String key = "locks:line:wake";
		Lock held = redlock().acquire(key, TTL);
		List<CompletableFuture<Lock>> waiting = new ArrayList<>();
		// One after the other, so every node's line has them in the same order.
		for (int i = 0; i < 8; i++) {
			waiting.add(redlock().acquireAsync(key, TTL).toCompletableFuture());
			awaitLineLength(key, i + 1);
		}
		// Each waiter hears on a channel of its own; nobody on the key's.
		for (int node = 0; node < redis.size(); node++) {
			assertThat(this.opened.nodes().channels(node, "redlock:releases:" + key + "@*")).hasSize(8);
			assertThat(this.opened.nodes().subscribers(node, "redlock:releases:" + key)).isZero();
		}
		List<String> others = this.opened.nodes().line(0, key).subList(1, 8);
		long[] before = this.opened.nodes().callsByNode("evalsha");
		held.release();
		Lock next = (Lock) CompletableFuture.anyOf(waiting.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);

		// On each node the release and the head's claim, and nothing from the other seven. A node
		// that took the release only after the claim (it runs on another connection) refused it,
		// and the head claims there again once the release reserved the key for it.
		assertThat(next).isSameAs(waiting.get(0).getNow(null));
		this.opened.nodes().awaitEverywhere(key, next.value());
		await().during(Duration.ofMillis(500)).atMost(GENEROUS)
			.untilAsserted(() -> assertThat(Arrays.stream(delta(before, "evalsha")).boxed())
				.allMatch((scripts) -> scripts == 2 || scripts == 3));
		assertThat(waiting.stream().filter(CompletableFuture::isDone)).hasSize(1);
		assertThat(next.isHeld()).isTrue();
		for (int node = 0; node < redis.size(); node++) {
			assertThat(this.opened.nodes().line(node, key)).as("line on node %d", node).isEqualTo(others);
		}
		next.release();
	}

	/**
	 * A Redlock that already hears a key's line releases (one of its acquisitions waits for the
	 * key) has another acquisition's first attempt enter the line where it loses: one script
	 * per node, no SET before it and no entry of its own after it.
	 */
	@Test
	void aFirstAttemptEntersTheLineInTheSameRoundTripWhenItsRedlockAlreadyWaitsForTheKey() throws Exception {
		String key = "locks:line:first-attempt";
		Lock held = redlock().acquire(key, TTL);
		Redlock process = redlock();
		CompletableFuture<Lock> first = process.acquireAsync(key, TTL).toCompletableFuture();
		awaitLineLength(key, 1);
		long[] setsBefore = this.opened.nodes().callsByNode("set");
		long[] scriptsBefore = this.opened.nodes().callsByNode("evalsha");

		CompletableFuture<Lock> second = process.acquireAsync(key, TTL).toCompletableFuture();
		awaitLineLength(key, 2);
		await().during(Duration.ofMillis(500)).atMost(GENEROUS).untilAsserted(() -> {
			assertThat(delta(scriptsBefore, "evalsha")).as("scripts").containsExactly(1, 1, 1);
			assertThat(delta(setsBefore, "set")).as("SETs").containsExactly(0, 0, 0);
		});

		held.release();
		Lock one = first.get(20, TimeUnit.SECONDS);
		assertThat(second).isNotDone();
		one.release();
		second.get(20, TimeUnit.SECONDS).release();
		awaitGone(key);
	}

	/**
	 * The same first attempt, on a key that is free, sets it as a SET would: the lock is held
	 * on every node, and its acquisition is in no line. The key is freed by hand, as its expiry
	 * would free it, so the waiter already in line is not told and sleeps on.
	 */
	@Test
	void aFirstAttemptThatWouldEnterTheLineTakesAFreeKeyOnEveryNode() throws Exception {
		String key = "locks:line:first-attempt-free";
		Lock expired = redlock().acquire(key, TTL);
		Redlock process = redlock();
		CompletableFuture<Lock> first = process.acquireAsync(key, TTL).toCompletableFuture();
		awaitLineLength(key, 1);
		for (int node = 0; node < redis.size(); node++) {
			this.opened.nodes().delete(node, key);
		}
		long[] scriptsBefore = this.opened.nodes().callsByNode("evalsha");

		Lock second = process.acquire(key, TTL);
		this.opened.nodes().awaitEverywhere(key, second.value());
		assertThat(delta(scriptsBefore, "evalsha")).as("one script per node, the first attempt's").containsExactly(1, 1, 1);
		assertThat(second.isHeld()).isTrue();
		awaitLineLength(key, 1);
		assertThat(first).isNotDone();

		second.release();
		first.get(20, TimeUnit.SECONDS).release();
		expired.release();
		awaitGone(key);
	}

	/**
	 * A key reserved for a waiter that never claims it (its process died after entering the
	 * line) refuses newcomers while the reservation lasts, then lapses. Whether a newcomer's
	 * single attempt comes within the reservation depends on the machine's speed, so the test
	 * tries until one did, at most ten times: without reservations, every newcomer gets the key.
	 */
	@Test
	void aKeyReservedForAWaiterThatIsGoneLapsesAndNoNewcomerTakesItMeanwhile() {
		String key = "locks:line:ghost";
		Redlock holder = redlock();
		Redlock newcomer = this.opened.open(this.opened.onTheNodes().retryCount(0));
		boolean refusedWhileReserved = false;
		for (int round = 0; round < 10 && !refusedWhileReserved; round++) {
			Lock held = holder.acquire(key, TTL);
			this.opened.nodes().enterLine(key, "ghost");
			held.release();
			try {
				newcomer.acquire(key, TTL).release();
			}
			catch (LockAcquisitionException ex) {
				assertThat(ex.attempts().get(0).count(Vote.REFUSED)).isGreaterThanOrEqualTo(2);
				refusedWhileReserved = true;
			}
			// Lapsed by itself: nobody deletes a reservation for a waiter that is gone.
			awaitGone(key);
		}
		assertThat(refusedWhileReserved).as("a newcomer was refused while the key was reserved").isTrue();

		holder.acquire(key, TTL).release();
	}

	@Test
	void aWaiterThatGivesUpLeavesTheLineOnEveryNode() {
		String key = "locks:line:leave";
		Lock held = redlock().acquire(key, TTL);
		Redlock waiter = redlock();
		CompletableFuture<Lock> gaveUp = waiter.acquireAsync(key, TTL, Duration.ofSeconds(2)).toCompletableFuture();
		awaitLineLength(key, 1);

		await().atMost(GENEROUS).until(gaveUp::isDone);
		assertThat(gaveUp).isCompletedExceptionally();
		awaitLineLength(key, 0);
		held.release();
		awaitGone(key);
	}

	@Test
	void aResourceNamedLikeALineKeyIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> redlock().acquire("redlock:line:{x}", TTL))
			.withMessageContaining("reserved for waiting lines");
	}

	private static boolean isReleased(CompletableFuture<Lock> waiter) {
		return waiter.isDone() && !waiter.join().isHeld();
	}

	/** Waits until no node holds the key, nor a line for it. */
	private void awaitGone(String key) {
		awaitEverywhere(() -> {
			for (int node = 0; node < redis.size(); node++) {
				if (this.opened.nodes().get(node, key) != null || !this.opened.nodes().line(node, key).isEmpty()) {
					return false;
				}
			}
			return true;
		});
	}

	private void awaitLineLength(String key, int length) {
		awaitEverywhere(() -> {
			for (int node = 0; node < redis.size(); node++) {
				if (this.opened.nodes().line(node, key).size() != length) {
					return false;
				}
			}
			return true;
		});
	}

	private static void awaitEverywhere(java.util.concurrent.Callable<Boolean> condition) {
		await().atMost(GENEROUS).until(condition);
	}

	private long[] delta(long[] before, String command) {
		long[] now = this.opened.nodes().callsByNode(command);
		for (int i = 0; i < now.length; i++) {
			now[i] -= before[i];
		}
		return now;
	}

}
