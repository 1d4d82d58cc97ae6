package dev.redlock;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.redlock.testkit.RedisServersExtension;
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
			CompletableFuture<Lock> waiting = waiter.acquireAsync("locks:handoff", Duration.ofSeconds(30)).toCompletableFuture();
			// Let the waiter fail its first attempt and subscribe before the release.
			Thread.sleep(300);
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
			CompletableFuture<Lock> waiting = redlock.acquireAsync("locks:local", Duration.ofSeconds(30)).toCompletableFuture();
			Thread.sleep(300);
			held.release();
			assertThat(waiting.get(20, TimeUnit.SECONDS).isHeld()).isTrue();
		}
	}

	@Test
	void withoutNotificationsAWaiterOnlyPolls() throws Exception {
		try (Redlock holder = redlock(false); Redlock waiter = redlock(false)) {
			Lock held = holder.acquire("locks:polling", Duration.ofSeconds(30));
			// Wait for every node to have the holder's key: a free minority would be a split
			// vote, which is retried with back-off rather than left to the poll.
			try (NodeInspector nodes = new NodeInspector(redis.servers())) {
				await().atMost(Duration.ofSeconds(20))
					.until(() -> nodes.valuesOnRunningNodes("locks:polling").stream().allMatch(held.value()::equals));
			}
			CompletableFuture<Lock> waiting = waiter.acquireAsync("locks:polling", Duration.ofSeconds(30)).toCompletableFuture();
			Thread.sleep(300);
			held.release();
			Thread.sleep(1000);
			assertThat(waiting).as("woken although notifications are off").isNotDone();
			waiting.cancel(false);
		}
	}

}
