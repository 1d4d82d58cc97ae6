package dev.redlock;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.redlock.testkit.RedisServersExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/** The API around the algorithm: async variants, using, idempotence, scripts, listener, closing. */
class RedlockApiTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private Redlock redlock;

	private NodeInspector nodes;

	@BeforeEach
	void start() {
		this.redlock = Redlock.builder().nodes(redis.uris()).retryDelay(Duration.ofMillis(20)).build();
		this.nodes = new NodeInspector(redis.servers());
	}

	@AfterEach
	void stop() {
		this.redlock.close();
		this.nodes.close();
	}

	@Test
	void pingReportsEveryNode() throws Exception {
		redis.get(1).kill();
		List<NodeVote> votes = this.redlock.ping().toCompletableFuture().get(20, TimeUnit.SECONDS);
		assertThat(votes).extracting(NodeVote::node).containsExactlyElementsOf(redis.uris());
		assertThat(votes).extracting(NodeVote::vote)
			.containsExactly(NodeVote.Vote.GRANTED, NodeVote.Vote.FAILED, NodeVote.Vote.GRANTED);
		assertThat(votes.get(1).error()).isNotNull();
	}

	@Test
	void releaseIsIdempotent() {
		Lock lock = this.redlock.acquire("locks:idempotent", Duration.ofSeconds(10));
		lock.release();
		lock.release();
		lock.close();
		assertThat(lock.isHeld()).isFalse();
		assertThat(lock.remainingValidity()).isZero();
		assertThatExceptionOfType(LockExtensionException.class).isThrownBy(lock::throwIfLost)
			.withMessageContaining("released");
	}

	@Test
	void releaseCompletesOnAnInterruptedThreadAndKeepsTheFlag() {
		Lock lock = this.redlock.acquire("locks:interrupted-release", Duration.ofSeconds(10));
		Thread.currentThread().interrupt();
		try {
			lock.release();
			assertThat(Thread.currentThread().isInterrupted()).isTrue();
		}
		finally {
			Thread.interrupted();
		}
		this.nodes.awaitEverywhere("locks:interrupted-release", null);
	}

	@Test
	void tryWithResourcesReleases() {
		String value;
		try (Lock lock = this.redlock.acquire("locks:twr", Duration.ofSeconds(10))) {
			value = lock.value();
			this.nodes.awaitEverywhere("locks:twr", value);
		}
		this.nodes.awaitEverywhere("locks:twr", null);
	}

	@Test
	void usingReleasesWhenTheTaskThrowsAndPassesTheExceptionThrough() {
		Exception failure = new Exception("checked, untouched");
		assertThatExceptionOfType(Exception.class)
			.isThrownBy(() -> this.redlock.using("locks:throws", Duration.ofSeconds(10), (handle) -> {
				throw failure;
			}))
			.isSameAs(failure);
		this.nodes.awaitEverywhere("locks:throws", null);
	}

	@Test
	void asyncVariantsAcquireExtendAndRelease() throws Exception {
		Lock lock = this.redlock.acquireAsync(List.of("locks:async"), Duration.ofSeconds(2))
			.thenCompose((l) -> l.extendAsync(Duration.ofSeconds(30)))
			.toCompletableFuture()
			.get(20, TimeUnit.SECONDS);
		assertThat(lock.remainingValidity()).isGreaterThan(Duration.ofSeconds(20));
		assertThat(this.redlock.tryAcquireAsync(List.of("locks:async"), Duration.ofSeconds(1))
			.toCompletableFuture()
			.get(20, TimeUnit.SECONDS)).isEmpty();
		lock.releaseAsync().toCompletableFuture().get(20, TimeUnit.SECONDS);
		this.nodes.awaitEverywhere("locks:async", null);
	}

	@Test
	void usingAsyncHoldsTheLockUntilTheStageCompletes() throws Exception {
		CompletableFuture<String> work = new CompletableFuture<>();
		CompletableFuture<String> result = this.redlock
			.usingAsync(List.of("locks:usingAsync"), Duration.ofSeconds(10), (handle) -> work)
			.toCompletableFuture();
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.nodes.valuesOnRunningNodes("locks:usingAsync").stream().allMatch((v) -> v != null));
		assertThat(result).isNotDone();
		work.complete("done");
		assertThat(result.get(20, TimeUnit.SECONDS)).isEqualTo("done");
		this.nodes.awaitEverywhere("locks:usingAsync", null);
	}

	@Test
	void acquireWithMaxWaitGivesUpInTime() {
		this.redlock.acquire("locks:maxWait", Duration.ofSeconds(30));
		assertThatExceptionOfType(LockAcquisitionException.class)
			.isThrownBy(() -> this.redlock.acquire(List.of("locks:maxWait"), Duration.ofSeconds(5), Duration.ZERO))
			.satisfies((ex) -> assertThat(ex.attemptCount()).isEqualTo(1));
		assertThatExceptionOfType(LockAcquisitionException.class)
			.isThrownBy(() -> this.redlock.acquire(List.of("locks:maxWait"), Duration.ofSeconds(5), Duration.ofMillis(300)))
			.satisfies((ex) -> assertThat(ex.attemptCount()).isGreaterThan(1));
	}

	@Test
	void scriptsFallBackToEvalWhenTheScriptCacheIsEmpty() {
		for (int i = 0; i < redis.size(); i++) {
			this.nodes.scriptFlush(i);
		}
		Lock lock = this.redlock.acquire(List.of("locks:s1", "locks:s2"), Duration.ofSeconds(10));
		this.nodes.awaitEverywhere("locks:s1", lock.value());
		for (int i = 0; i < redis.size(); i++) {
			this.nodes.scriptFlush(i);
		}
		lock.release();
		this.nodes.awaitEverywhere("locks:s1", null);
		assertThat(this.nodes.calls(0, "eval")).isPositive();
		assertThat(this.nodes.calls(0, "evalsha")).isPositive();
	}

	@Test
	void theListenerHearsClientErrorsWithoutBreakingTheLock() {
		List<String> errors = new CopyOnWriteArrayList<>();
		redis.get(0).kill();
		try (Redlock listened = Redlock.builder().nodes(redis.uris()).listener(new RedlockListener() {
			@Override
			public void onClientError(String node, Throwable error) {
				errors.add(node);
				throw new IllegalStateException("a broken listener must not break the lock");
			}
		}).build()) {
			Lock lock = listened.acquire("locks:listener", Duration.ofSeconds(10));
			assertThat(lock.isHeld()).isTrue();
			lock.release();
		}
		assertThat(errors).isNotEmpty().allMatch((node) -> node.equals(redis.get(0).uri()));
	}

	@Test
	void acceptsClientsTheUserManages() {
		RedisClient client = RedisClient.create();
		try {
			RedlockBuilder builder = Redlock.builder();
			redis.uris().forEach((uri) -> builder.node(client, RedisURI.create(uri)));
			try (Redlock managed = builder.build()) {
				managed.acquire("locks:managed", Duration.ofSeconds(10)).release();
			}
			// Closing the Redlock must leave the user's client usable.
			try (var connection = client.connect(RedisURI.create(redis.uris().get(0)))) {
				assertThat(connection.sync().ping()).isEqualTo("PONG");
			}
		}
		finally {
			client.shutdown();
		}
	}

	@Test
	void closingEndsAcquisitionsThatAreStillWaiting() {
		this.redlock.acquire("locks:closing", Duration.ofSeconds(30));
		try (Redlock waiter = Redlock.builder().nodes(redis.uris()).retryCount(-1).build()) {
			CompletableFuture<Lock> waiting = waiter.acquireAsync("locks:closing", Duration.ofSeconds(5)).toCompletableFuture();
			waiter.close();
			await().atMost(Duration.ofSeconds(20)).until(waiting::isDone);
			assertThat(waiting).isCompletedExceptionally();
		}
	}

	@Test
	void rejectsBadResources() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.redlock.acquire(List.of(), Duration.ofSeconds(1)))
			.withMessageContaining("at least one resource");
		assertThatIllegalArgumentException().isThrownBy(() -> this.redlock.acquire(" ", Duration.ofSeconds(1)))
			.withMessageContaining("resources[0] must not be empty or blank");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.redlock.acquire(List.of("locks:a", "locks:a"), Duration.ofSeconds(1)))
			.withMessageContaining("repeats");
	}

	@Test
	void anInterruptedWaiterGivesUpAndKeepsItsInterruptFlag() throws Exception {
		this.redlock.acquire("locks:interrupt", Duration.ofSeconds(30));
		AtomicReference<Throwable> thrown = new AtomicReference<>();
		AtomicReference<Boolean> flag = new AtomicReference<>();
		Thread waiter = new Thread(() -> {
			try {
				this.redlock.acquire(List.of("locks:interrupt"), Duration.ofSeconds(5), Duration.ofMinutes(5));
			}
			catch (RuntimeException ex) {
				thrown.set(ex);
				flag.set(Thread.currentThread().isInterrupted());
			}
		});
		waiter.start();
		await().atMost(Duration.ofSeconds(30)).until(() -> waiter.getState() == Thread.State.WAITING);
		waiter.interrupt();
		waiter.join(20_000);
		assertThat(thrown.get()).isInstanceOf(RedlockException.class).hasMessageContaining("Interrupted");
		assertThat(flag.get()).isTrue();
	}

}
