package dev.redlock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.redlock.testkit.RedisServersExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Waiters wake on a release instead of polling. The fallback poll is set to a minute, so a
 * waiter that gets the lock in well under that can only have been woken by the release.
 */
class ReleaseNotificationTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private static final Duration POLL = Duration.ofSeconds(60);

	private static final Duration GENEROUS = Duration.ofSeconds(30);

	private NodeInspector nodes;

	@BeforeEach
	void inspect() {
		this.nodes = new NodeInspector(redis.servers());
	}

	@AfterEach
	void close() {
		this.nodes.close();
	}

	/** Until every node counts {@code count} listeners for the key's releases. */
	private void awaitSubscribers(String key, long count) {
		await().atMost(GENEROUS).until(() -> {
			for (int i = 0; i < redis.size(); i++) {
				if (this.nodes.listeners(i, key) != count) {
					return false;
				}
			}
			return true;
		});
	}

	private static String channel(String key) {
		return "redlock:releases:" + key;
	}

	private Redlock redlock(boolean notifications) {
		return Redlock.builder()
			.nodes(redis.uris())
			.retryCount(1)
			.retryDelay(POLL)
			.retryJitter(Duration.ZERO)
			.releaseNotifications(notifications)
			.build();
	}

	@Test
	void aWaiterInAnotherRedlockWakesOnRelease() throws Exception {
		try (Redlock holder = redlock(true); Redlock waiter = redlock(true)) {
			Lock held = holder.acquire("locks:handoff", Duration.ofSeconds(30));
			// A free minority would split the waiter's first vote, which is retried after a
			// short back-off, using up its one retry: wait for every node to have the key.
			await().atMost(GENEROUS)
				.until(() -> this.nodes.valuesOnRunningNodes("locks:handoff").stream().allMatch(held.value()::equals));
			CompletableFuture<Lock> waiting = waiter.acquireAsync("locks:handoff", Duration.ofSeconds(30)).toCompletableFuture();
			// The waiter fails its first attempt and subscribes: the nodes say when.
			awaitSubscribers("locks:handoff", 1);
			assertThat(waiting).isNotDone();
			held.release();
			Lock next = waiting.get(20, TimeUnit.SECONDS);
			assertThat(next.isHeld()).isTrue();
			next.release();
		}
	}

	@Test
	void aWaiterInTheSameRedlockWakesOnRelease() throws Exception {
		try (Redlock redlock = redlock(true)) {
			Lock held = redlock.acquire("locks:local", Duration.ofSeconds(30));
			long attempts = this.nodes.calls(0, "set");
			CompletableFuture<Lock> waiting = redlock.acquireAsync("locks:local", Duration.ofSeconds(30)).toCompletableFuture();
			// Released once the waiter's first attempt reached the nodes: the release must cut its poll.
			await().atMost(GENEROUS).until(() -> this.nodes.calls(0, "set") > attempts);
			held.release();
			assertThat(waiting.get(20, TimeUnit.SECONDS).isHeld()).isTrue();
		}
	}

	/**
	 * Eight Redlocks (eight processes, as far as the nodes can tell) wait, each for a key of
	 * its own. A release must reach only the one waiting for its key: one listener per key and
	 * node, so one message per node and release, where one shared channel delivered every
	 * release to all eight. Once nobody waits, nobody is subscribed.
	 */
	@Test
	void aReleaseReachesOnlyTheRedlocksWaitingForItsKey() throws Exception {
		int waiters = 8;
		List<Redlock> redlocks = new ArrayList<>();
		try (Redlock holder = redlock(true)) {
			List<Lock> held = new ArrayList<>();
			List<CompletableFuture<Lock>> waiting = new ArrayList<>();
			for (int i = 0; i < waiters; i++) {
				held.add(holder.acquire("locks:per-key:" + i, Duration.ofSeconds(30)));
			}
			for (int i = 0; i < waiters; i++) {
				Redlock redlock = redlock(true);
				redlocks.add(redlock);
				waiting.add(redlock.acquireAsync("locks:per-key:" + i, Duration.ofSeconds(30)).toCompletableFuture());
			}
			for (int i = 0; i < waiters; i++) {
				awaitSubscribers("locks:per-key:" + i, 1);
			}
			for (int i = 0; i < waiters; i++) {
				held.get(i).release();
				Lock next = waiting.get(i).get(20, TimeUnit.SECONDS);
				assertThat(next.isHeld()).isTrue();
				next.release();
			}
			for (int i = 0; i < waiters; i++) {
				awaitSubscribers("locks:per-key:" + i, 0);
			}
		}
		finally {
			redlocks.forEach(Redlock::close);
		}
	}

	@Test
	void withoutNotificationsAWaiterOnlyPolls() throws Exception {
		try (Redlock holder = redlock(false); Redlock waiter = redlock(false)) {
			Lock held = holder.acquire("locks:polling", Duration.ofSeconds(30));
			// Wait for every node to have the holder's key: a free minority would be a split
			// vote, which is retried with back-off rather than left to the poll.
			await().atMost(GENEROUS)
				.until(() -> this.nodes.valuesOnRunningNodes("locks:polling").stream().allMatch(held.value()::equals));
			long attempts = this.nodes.calls(0, "set");
			CompletableFuture<Lock> waiting = waiter.acquireAsync("locks:polling", Duration.ofSeconds(30)).toCompletableFuture();
			await().atMost(GENEROUS).until(() -> this.nodes.calls(0, "set") > attempts);
			held.release();
			assertThat(this.nodes.subscribers(0, channel("locks:polling"))).as("nobody subscribes").isZero();
			// A negative can only be watched for a while: a second is far beyond a handoff.
			await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> !waiting.isDone());
			waiting.cancel(false);
		}
	}

}
