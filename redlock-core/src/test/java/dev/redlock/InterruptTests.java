package dev.redlock;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.redlock.testkit.FaultProxy;
import dev.redlock.testkit.RedisServersExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Interrupts never leak a lock. The nodes sit behind proxies that delay every byte, so an
 * attempt is still out when its caller is interrupted, and then wins.
 */
class InterruptTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private static final Duration GENEROUS = Duration.ofSeconds(30);

	private List<FaultProxy> proxies;

	private NodeInspector nodes;

	@BeforeEach
	void proxy() {
		this.proxies = redis.servers().stream().map(FaultProxy::to).toList();
		this.nodes = new NodeInspector(redis.servers());
	}

	@AfterEach
	void close() {
		this.proxies.forEach(FaultProxy::close);
		this.nodes.close();
	}

	@Test
	void anAcquireInterruptedWhileItsAttemptIsOutReleasesWhatTheAttemptWon() throws Exception {
		assertInterruptedAcquisitionLeavesNothing((redlock) -> redlock.acquire("locks:interrupt", Duration.ofSeconds(60)));
	}

	@Test
	void aTryAcquireInterruptedWhileItsAttemptIsOutReleasesWhatTheAttemptWon() throws Exception {
		assertInterruptedAcquisitionLeavesNothing((redlock) -> redlock.tryAcquire("locks:interrupt", Duration.ofSeconds(60)));
	}

	@Test
	void aReleaseInterruptedMidwayStillReleasesDoesNotThrowAndKeepsTheFlag() throws Exception {
		try (Redlock redlock = Redlock.builder().nodes(proxiedUris()).commandTimeout(Duration.ofSeconds(5)).build()) {
			Lock lock = redlock.acquire("locks:interrupt:release", Duration.ofSeconds(60));
			this.proxies.forEach((proxy) -> proxy.latency(Duration.ofSeconds(1)));
			AtomicBoolean flagKept = new AtomicBoolean();
			AtomicReference<Throwable> thrown = new AtomicReference<>();
			Thread releaser = new Thread(() -> {
				try {
					lock.release();
				}
				catch (Throwable ex) {
					thrown.set(ex);
				}
				flagKept.set(Thread.currentThread().isInterrupted());
			});
			releaser.start();
			await().atMost(GENEROUS).until(() -> releaser.getState() == Thread.State.WAITING);
			releaser.interrupt();
			releaser.join(GENEROUS.toMillis());
			assertThat(thrown.get()).isNull();
			assertThat(flagKept).isTrue();
			assertThat(lock.isHeld()).isFalse();
			assertNoKeys();
		}
	}

	private void assertInterruptedAcquisitionLeavesNothing(Acquire acquire) throws Exception {
		try (Redlock redlock = Redlock.builder().nodes(proxiedUris()).commandTimeout(Duration.ofSeconds(5)).build()) {
			this.proxies.forEach((proxy) -> proxy.latency(Duration.ofSeconds(1)));
			AtomicReference<Throwable> thrown = new AtomicReference<>();
			AtomicBoolean flagKept = new AtomicBoolean();
			CompletableFuture<Void> done = new CompletableFuture<>();
			Thread caller = new Thread(() -> {
				try {
					acquire.run(redlock);
				}
				catch (Throwable ex) {
					thrown.set(ex);
				}
				flagKept.set(Thread.currentThread().isInterrupted());
				done.complete(null);
			});
			caller.start();
			await().atMost(GENEROUS).until(() -> caller.getState() == Thread.State.WAITING);
			caller.interrupt();
			done.get();
			assertThat(thrown.get()).isInstanceOf(RedlockException.class).hasMessageContaining("Interrupted");
			assertThat(flagKept).isTrue();
			// The attempt lands on the nodes after the interrupt, wins, and is released.
			await().atMost(GENEROUS).untilAsserted(() -> assertThat(this.nodes.calls(0, "evalsha")).isPositive());
			assertNoKeys();
		}
	}

	private void assertNoKeys() {
		await().atMost(GENEROUS).untilAsserted(() -> {
			for (int i = 0; i < redis.size(); i++) {
				assertThat(this.nodes.keys(i)).as("keys on node %d", i).isEmpty();
			}
		});
	}

	private List<String> proxiedUris() {
		return this.proxies.stream().map(FaultProxy::uri).toList();
	}

	@FunctionalInterface
	private interface Acquire {

		void run(Redlock redlock);

	}

}
