package dev.redlock;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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

	/**
	 * A lost lock's callback blocks for up to 2 s while another lock is acquired on the same
	 * Redlock. That acquisition needs the one node's event loop (its replies) and the scheduler
	 * (the other key is held for 300 ms, so it must retry after a retry delay): had the callback
	 * run on either, the acquisition could only return once the callback had.
	 */
	@Test
	void aBlockingOnLostCallbackDelaysNoOtherLock() throws Exception {
		CountDownLatch callbackBlocks = new CountDownLatch(1);
		CountDownLatch unblock = new CountDownLatch(1);
		CountDownLatch callbackReturned = new CountDownLatch(1);
		try (Redlock redlock = Redlock.builder()
			.nodes(redis.uris())
			.retryDelay(Duration.ofMillis(50))
			.retryJitter(Duration.ZERO)
			.build(); NodeInspector nodes = new NodeInspector(redis.servers())) {
			Lock lost = redlock.acquire("locks:callbacks:lost", Duration.ofMillis(1500)).autoExtend();
			lost.onLost((cause) -> {
				this.threads.add(Thread.currentThread().getName());
				callbackBlocks.countDown();
				try {
					unblock.await(2, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				callbackReturned.countDown();
			});
			// Taken over behind the holder's back: its next extension is refused, so it is lost.
			nodes.set(0, "locks:callbacks:lost", "someone-else");
			assertThat(callbackBlocks.await(30, TimeUnit.SECONDS)).as("the onLost callback ran").isTrue();
			nodes.set(0, "locks:callbacks:other", "a-short-holder", Duration.ofMillis(300));
			long setsBefore = nodes.calls(0, "set");
			Lock other = redlock.acquire("locks:callbacks:other", Duration.ofSeconds(10), Duration.ofSeconds(10));
			assertThat(callbackReturned.getCount()).as("the other lock was acquired while the callback still blocked")
				.isEqualTo(1);
			assertThat(other.isHeld()).isTrue();
			assertThat(nodes.calls(0, "set") - setsBefore).as("attempts: the retry timer was needed").isGreaterThanOrEqualTo(2);
			unblock.countDown();
			other.release();
			assertThat(callbackReturned.await(30, TimeUnit.SECONDS)).isTrue();
		}
		assertThat(this.threads).hasSize(1).allSatisfy(CallbackThreadTests::isUserThread);
	}

	/**
	 * A callback executor that refuses work, as the Redlock's own does once it is closed: the
	 * callbacks still run, but not on the thread that delivered the news, here the event loop
	 * that received the refused extension.
	 */
	@Test
	void callbacksTheExecutorRefusesStillRunOffTheEventLoop() throws Exception {
		ExecutorService executor = Executors.newSingleThreadExecutor();
		RedlockListener listener = new RedlockListener() {
			@Override
			public void onLockLost(LockHandle lock, RedlockException cause) {
				CallbackThreadTests.this.threads.add(Thread.currentThread().getName());
			}
		};
		try (Redlock redlock = Redlock.builder().nodes(redis.uris()).callbackExecutor(executor).listener(listener).build();
				NodeInspector nodes = new NodeInspector(redis.servers())) {
			Lock lock = redlock.acquire("locks:callbacks:refused", Duration.ofMillis(1500)).autoExtend();
			lock.onLost((cause) -> this.threads.add(Thread.currentThread().getName()));
			executor.shutdown();
			nodes.set(0, "locks:callbacks:refused", "someone-else");
			await().atMost(Duration.ofSeconds(30)).until(() -> this.threads.size() == 2);
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
