package dev.redlock;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.redlock.testkit.RedisServersExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Exactly the attempts promised, counted by the nodes themselves: a first attempt on a single
 * key is one SET per node, a waiter's retry one claim script, whose GET the nodes count
 * ({@code cmdstat_get}, less the GETs of entering the key's waiting line, each with an LPOS,
 * and of leaving it, each with an LREM). The key is held by a plain SET of the test's, and a storm of release
 * notifications, published by the test on every node, keeps waking the waiter: the old driver
 * tried again on each without using up a retry.
 */
class AttemptBoundsTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private static final Duration TTL = Duration.ofSeconds(30);

	private NodeInspector nodes;

	private final ExecutorService storm = Executors.newSingleThreadExecutor();

	@BeforeEach
	void inspect() {
		this.nodes = new NodeInspector(redis.servers());
	}

	@AfterEach
	void close() throws InterruptedException {
		this.storm.shutdownNow();
		this.storm.awaitTermination(30, TimeUnit.SECONDS);
		this.nodes.close();
	}

	@Test
	void tryAcquireMakesOneAttemptEvenWhileReleasesNotifyIt() throws Exception {
		try (Redlock waiter = Redlock.builder().nodes(redis.uris()).build()) {
			AtomicBoolean stop = startStorm("locks:bounds:try");
			long[] before = setCalls();
			for (int i = 0; i < 20; i++) {
				waiter.tryAcquire("locks:bounds:try", TTL).ifPresent(Lock::release);
			}
			stop.set(true);
			long[] after = setCalls();
			for (int i = 0; i < after.length; i++) {
				assertThat(after[i] - before[i]).as("SETs on node %d", i).isEqualTo(20);
			}
		}
	}

	@Test
	void retryCountNMakesAtMostNPlusOneAttemptsWhateverWokeThem() throws Exception {
		try (Redlock waiter = Redlock.builder().nodes(redis.uris()).retryCount(3).retryDelay(Duration.ofMillis(100)).build()) {
			AtomicBoolean stop = startStorm("locks:bounds:n");
			long[] before = attemptsByNode();
			assertThatExceptionOfType(LockAcquisitionException.class).isThrownBy(() -> waiter.acquire("locks:bounds:n", TTL))
				.satisfies((ex) -> assertThat(ex.attemptCount()).isEqualTo(4));
			stop.set(true);
			long[] after = attemptsByNode();
			long[] made = new long[after.length];
			for (int i = 0; i < made.length; i++) {
				made[i] = after[i] - before[i];
			}
			// The first attempt asks every node; a retry woken as the head of the line asks
			// every node too, one that polled the key's designated node only.
			assertThat(Arrays.stream(made).boxed().toList()).allSatisfy((attempts) -> assertThat(attempts).isBetween(1L, 4L))
				.contains(4L);
		}
	}

	@Test
	void aWaitBoundIsOverrunByOneCommandTimeoutAtMost() {
		Duration commandTimeout = Duration.ofSeconds(2);
		Duration waitTime = Duration.ofSeconds(1);
		try (Redlock holder = Redlock.builder().nodes(redis.uris()).build();
				Redlock waiter = Redlock.builder()
					.nodes(redis.uris())
					.commandTimeout(commandTimeout)
					.retryDelay(Duration.ofMillis(50))
					.waitTime(waitTime)
					.build()) {
			Lock held = holder.acquire("locks:bounds:wait", TTL);
			// Every attempt now waits out the paused node's full command timeout.
			redis.get(2).pause();
			try {
				long started = System.nanoTime();
				assertThatExceptionOfType(LockAcquisitionException.class)
					.isThrownBy(() -> waiter.acquire("locks:bounds:wait", TTL));
				Duration took = Duration.ofNanos(System.nanoTime() - started);
				// One attempt may start just before the bound and take a command timeout; the
				// margin is for a slow machine, far below a second such attempt.
				assertThat(took).isLessThan(waitTime.plus(commandTimeout).plusMillis(900));
			}
			finally {
				redis.get(2).resume();
			}
			held.release();
		}
	}

	/**
	 * Holds {@code key} with a token of the test's, and publishes releases of other tokens on
	 * every node until stopped, within 20 s: on the key's channel, and, for every waiter in the
	 * key's line, on its Redlock's own channel, naming it the head. Each wakes the waiter, which
	 * finds the key still held.
	 */
	private AtomicBoolean startStorm(String key) {
		for (int i = 0; i < redis.size(); i++) {
			this.nodes.set(i, key, "held-by-the-test");
		}
		AtomicBoolean stop = new AtomicBoolean();
		long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		this.storm.execute(() -> {
			for (long n = 0; !stop.get() && System.nanoTime() < end && !Thread.currentThread().isInterrupted(); n++) {
				for (int i = 0; i < redis.size(); i++) {
					this.nodes.publish(i, "redlock:releases:" + key, "released-token-" + n + " " + key);
					for (String head : this.nodes.line(i, key)) {
						String redlock = head.substring(0, head.indexOf('.'));
						this.nodes.publish(i, "redlock:releases:" + key + "@" + redlock,
								"released-token-" + n + "/" + head + " " + key);
					}
				}
			}
		});
		return stop;
	}

	private long[] setCalls() {
		return this.nodes.callsByNode("set");
	}

	/** First attempts' SETs and retries' claims, on each node. */
	private long[] attemptsByNode() {
		long[] sets = setCalls();
		long[] gets = this.nodes.callsByNode("get");
		long[] entries = this.nodes.callsByNode("lpos");
		long[] removals = this.nodes.callsByNode("lrem");
		long[] attempts = new long[sets.length];
		for (int i = 0; i < attempts.length; i++) {
			// A granted claim also sets and removes the waiter from the line; leaving it
			// removes it, and reads the key.
			attempts[i] = sets[i] + gets[i] - entries[i] - removals[i];
		}
		return attempts;
	}

}
