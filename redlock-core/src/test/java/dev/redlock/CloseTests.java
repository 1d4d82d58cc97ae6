package dev.redlock;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import dev.redlock.testkit.RedisServersExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** close() is bounded, tells holders of automatically extended locks, and ends the Redlock's use. */
class CloseTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);

	/** The bound promised: the command timeout plus one second. */
	private static final Duration BOUND = COMMAND_TIMEOUT.plusSeconds(1);

	@AfterEach
	void resume() {
		redis.servers().healAll();
	}

	@Test
	void closeReturnsInTimeWithEveryNodePaused() {
		Redlock redlock = Redlock.builder().nodes(redis.uris()).commandTimeout(COMMAND_TIMEOUT).build();
		redlock.acquire("locks:close:paused", Duration.ofSeconds(10));
		redis.servers().forEach((server) -> server.pause());
		assertThat(timeToClose(redlock)).isLessThan(BOUND);
	}

	@Test
	void closeReturnsInTimeWithConnectionsStillMidHandshake() {
		// Paused servers accept TCP connections (the kernel does) but never answer HELLO.
		redis.servers().forEach((server) -> server.pause());
		Redlock redlock = Redlock.builder().nodes(redis.uris()).commandTimeout(COMMAND_TIMEOUT).build();
		assertThat(timeToClose(redlock)).isLessThan(BOUND);
	}

	@Test
	void locksStillExtendedAutomaticallyAreReportedLost() throws Exception {
		CompletableFuture<LockHandle> reported = new CompletableFuture<>();
		Redlock redlock = Redlock.builder().nodes(redis.uris()).listener(new RedlockListener() {
			@Override
			public void onLockLost(LockHandle lock, RedlockException cause) {
				reported.complete(lock);
			}
		}).build();
		Lock lock = redlock.acquire("locks:close:extended", Duration.ofSeconds(10)).autoExtend();
		CompletableFuture<RedlockException> lost = new CompletableFuture<>();
		lock.onLost(lost::complete);
		redlock.close();
		assertThat(lost.get(30, TimeUnit.SECONDS)).hasMessageContaining("closed");
		assertThat(reported.get(30, TimeUnit.SECONDS)).isSameAs(lock);
		assertThat(lock.isHeld()).isFalse();
		lock.release();
	}

	@Test
	void everyCallAfterCloseSaysTheRedlockIsClosed() {
		Redlock redlock = Redlock.builder().nodes(redis.uris()).build();
		redlock.close();
		List<Runnable> calls = List.of(() -> redlock.acquire("locks:close:after", Duration.ofSeconds(1)),
				() -> redlock.tryAcquire("locks:close:after", Duration.ofSeconds(1)),
				() -> redlock.acquireAsync("locks:close:after", Duration.ofSeconds(1)),
				() -> redlock.tryAcquireAsync("locks:close:after", Duration.ofSeconds(1)),
				() -> redlock.using("locks:close:after", Duration.ofSeconds(1), (handle) -> null),
				redlock::ping);
		for (Runnable call : calls) {
			assertThatExceptionOfType(RedlockException.class).isThrownBy(call::run).withMessageContaining("closed");
		}
	}

	private static Duration timeToClose(Redlock redlock) {
		long started = System.nanoTime();
		redlock.close();
		return Duration.ofNanos(System.nanoTime() - started);
	}

	@Test
	void aLocksCallsAfterCloseSayTheRedlockIsClosedAndItsReleaseDoesNoHarm() {
		Redlock redlock = Redlock.builder().nodes(redis.uris()).commandTimeout(COMMAND_TIMEOUT).build();
		Lock lock = redlock.acquire("locks:close:lock-after", Duration.ofSeconds(10));
		redlock.close();
		List<Runnable> calls = List.of(() -> lock.extend(Duration.ofSeconds(10)), lock::check, lock::fencingToken,
				() -> lock.extendAsync(Duration.ofSeconds(10)).toCompletableFuture().join(),
				() -> lock.checkAsync().toCompletableFuture().join(),
				() -> lock.fencingTokenAsync("locks:close:lock-after").toCompletableFuture().join());
		for (Runnable call : calls) {
			long started = System.nanoTime();
			assertThatThrownBy(call::run).satisfies((thrown) -> assertThat(unwrapped(thrown))
				.isInstanceOf(RedlockException.class)
				.hasMessageContaining("Redlock is closed"));
			// Said at once, not after the nodes' connections timed out.
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(COMMAND_TIMEOUT);
		}
		long started = System.nanoTime();
		lock.release();
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(COMMAND_TIMEOUT);
		assertThat(lock.isHeld()).isFalse();
	}

	private static Throwable unwrapped(Throwable thrown) {
		return (thrown instanceof CompletionException && thrown.getCause() != null) ? thrown.getCause()
				: thrown;
	}

}
