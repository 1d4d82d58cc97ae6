package dev.redlock;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.redlock.testkit.RedisServersExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Nothing the user supplies runs on a Netty event loop or the timeout timer. With one node,
 * every reply of every lock comes through one event loop: a callback that blocked it would
 * hold up every other lock.
 */
class CallbackThreadTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(1);

	private final List<String> threads = new CopyOnWriteArrayList<>();

	@Test
	void aBlockingOnLostCallbackDelaysNoOtherLock() throws Exception {
		CountDownLatch callbackBlocked = new CountDownLatch(1);
		CountDownLatch unblock = new CountDownLatch(1);
		try (Redlock redlock = Redlock.builder().nodes(redis.uris()).build();
				NodeInspector nodes = new NodeInspector(redis.servers())) {
			Lock lost = redlock.acquire("locks:callbacks:lost", Duration.ofMillis(1500)).autoExtend();
			lost.onLost((cause) -> {
				this.threads.add(Thread.currentThread().getName());
				callbackBlocked.countDown();
				try {
					unblock.await(2, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
			// Taken over behind the holder's back: its next extension is refused, so it is lost.
			nodes.set(0, "locks:callbacks:lost", "someone-else");
			assertThat(callbackBlocked.await(30, TimeUnit.SECONDS)).isTrue();
			Lock other = redlock.acquire("locks:callbacks:other", Duration.ofSeconds(10));
			assertThat(unblock.getCount()).as("acquired while the callback still blocks").isEqualTo(1);
			other.release();
			unblock.countDown();
		}
		assertThat(this.threads).allSatisfy(CallbackThreadTests::isUserThread);
	}

	@Test
	void listenersAndAsyncContinuationsRunOffTheIoAndTimerThreads() throws Exception {
		RedlockListener listener = new RedlockListener() {
			@Override
			public void onClientError(String node, Throwable error) {
				CallbackThreadTests.this.threads.add(Thread.currentThread().getName());
			}
		};
		try (Redlock redlock = Redlock.builder()
			.nodes(List.of(redis.uris().get(0), "redis://127.0.0.1:1"))
			.listener(listener)
			.build()) {
			CompletableFuture<String> continuation = redlock.tryAcquireAsync("locks:callbacks:async", Duration.ofSeconds(5))
				.thenApply((lock) -> Thread.currentThread().getName())
				.toCompletableFuture();
			this.threads.add(continuation.exceptionally((ex) -> Thread.currentThread().getName()).get(30, TimeUnit.SECONDS));
			await().atMost(Duration.ofSeconds(30)).until(() -> this.threads.size() >= 2);
		}
		assertThat(this.threads).allSatisfy(CallbackThreadTests::isUserThread);
	}

	@Test
	void theLocksOwnAsyncResultsCompleteOffTheIoThreads() throws Exception {
		try (Redlock redlock = Redlock.builder().nodes(redis.uris()).build()) {
			Lock lock = redlock.acquire("locks:callbacks:lock-async", Duration.ofSeconds(10));
			// Each continuation blocks briefly: on an event loop that would stall every other reply.
			this.threads.add(lock.extendAsync(Duration.ofSeconds(10)).thenApply((l) -> Thread.currentThread().getName())
				.toCompletableFuture().get(30, TimeUnit.SECONDS));
			this.threads.add(lock.checkAsync().thenApply((held) -> Thread.currentThread().getName())
				.toCompletableFuture().get(30, TimeUnit.SECONDS));
			this.threads.add(lock.fencingTokenAsync("locks:callbacks:lock-async")
				.thenApply((token) -> Thread.currentThread().getName()).toCompletableFuture().get(30, TimeUnit.SECONDS));
			this.threads.add(lock.releaseAsync().thenApply((released) -> Thread.currentThread().getName())
				.toCompletableFuture().get(30, TimeUnit.SECONDS));
		}
		assertThat(this.threads).hasSize(4).allSatisfy(CallbackThreadTests::isUserThread);
	}

	private static void isUserThread(String name) {
		assertThat(name).doesNotContain("lettuce", "nioEventLoop", "epollEventLoop", "redlock-timeout", "redlock-scheduler");
	}

}
