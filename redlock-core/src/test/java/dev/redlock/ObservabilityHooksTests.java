package dev.redlock;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import dev.redlock.testkit.RedisServersExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What tools that watch locks (metrics, an actuator endpoint) get from the core without
 * costing a lock anything: extension events on the listener, and the fencing token once known.
 */
class ObservabilityHooksTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	@Test
	void theListenerHearsOfEveryDecidedExtension() {
		List<String> events = new CopyOnWriteArrayList<>();
		RedlockListener listener = new RedlockListener() {
			@Override
			public void onLockExtended(LockHandle lock, RedlockException failure) {
				events.add(lock.resources() + ((failure == null) ? " extended" : " failed"));
			}
		};
		try (Redlock redlock = Redlock.builder().nodes(redis.uris()).listener(listener).build()) {
			Lock lock = redlock.acquire("locks:hooks:extend", Duration.ofSeconds(5));
			lock.extend(Duration.ofSeconds(5));
			await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("[locks:hooks:extend] extended"));
			lock.release();
			try {
				lock.extend(Duration.ofSeconds(5));
			}
			catch (LockExtensionException expected) {
				// Released: the extension fails, and the listener hears so.
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("[locks:hooks:extend] failed"));
		}
	}

	/**
	 * Events cost a task on the callback executor each; a Redlock nobody listens to must not
	 * pay them on its uncontended path.
	 */
	@Test
	void withoutAListenerTakingAndReleasingALockQueuesNoCallback() {
		AtomicInteger tasks = new AtomicInteger();
		Executor counting = (task) -> {
			tasks.incrementAndGet();
			task.run();
		};
		try (Redlock redlock = Redlock.builder().nodes(redis.uris()).callbackExecutor(counting).build()) {
			for (int i = 0; i < 10; i++) {
				redlock.acquire("locks:hooks:silent", Duration.ofSeconds(5)).release();
			}
			assertThat(tasks).hasValue(0);
		}
	}

	@Test
	void aFencingTokenIsKnownOnlyOnceObtained() {
		try (Redlock redlock = Redlock.builder().nodes(redis.uris()).build();
				Lock lock = redlock.acquire("locks:hooks:fence", Duration.ofSeconds(5))) {
			assertThat(lock.knownFencingToken("locks:hooks:fence")).isEmpty();
			long token = lock.fencingToken();
			assertThat(lock.knownFencingToken("locks:hooks:fence")).hasValue(token);
			assertThat(lock.knownFencingToken("locks:hooks:other")).isEmpty();
		}
	}

	@Test
	void theListenerHearsHowEveryAcquisitionEndsAndWhenItsLockEnds() throws Exception {
		List<AcquisitionEvent> acquisitions = new CopyOnWriteArrayList<>();
		List<String> ended = new CopyOnWriteArrayList<>();
		List<String> threads = new CopyOnWriteArrayList<>();
		RedlockListener listener = new RedlockListener() {
			@Override
			public void onAcquisition(AcquisitionEvent event) {
				threads.add(Thread.currentThread().getName());
				acquisitions.add(event);
			}

			@Override
			public void onLockEnded(LockHandle lock, Duration held) {
				threads.add(Thread.currentThread().getName());
				ended.add(lock.resources() + " " + (held.isNegative() ? "negative" : "held"));
			}
		};
		LockOptions mine = LockOptions.builder().waitTime(Duration.ofMillis(300)).build();
		try (Redlock redlock = Redlock.builder().nodes(redis.uris()).listener(listener).build()) {
			Lock lock = redlock.acquire("locks:hooks:events", Duration.ofSeconds(5), mine);
			await().atMost(Duration.ofSeconds(10)).until(() -> acquisitions.size() == 1);
			assertThat(acquisitions.get(0).lock()).isSameAs(lock);
			assertThat(acquisitions.get(0).options()).isSameAs(mine);
			assertThat(acquisitions.get(0).resources()).containsExactly("locks:hooks:events");
			assertThat(acquisitions.get(0).waited()).isPositive();
			assertThat(redlock.tryAcquire("locks:hooks:events", Duration.ofSeconds(5))).isEmpty();
			await().atMost(Duration.ofSeconds(10)).until(() -> acquisitions.size() == 2);
			assertThat(acquisitions.get(1).acquired()).isFalse();
			assertThat(acquisitions.get(1).reason()).hasValue(LockAcquisitionException.Reason.HELD_BY_ANOTHER_OWNER);
			assertThat(acquisitions.get(1).options()).isSameAs(LockOptions.defaults());
			assertThat(ended).isEmpty();
			lock.release();
			lock.release();
			await().atMost(Duration.ofSeconds(10)).until(() -> ended.size() == 1);
			redlock.acquireAsync("locks:hooks:events", Duration.ofSeconds(5)).toCompletableFuture().get().releaseAsync();
			redlock.using("locks:hooks:events", Duration.ofSeconds(5), (handle) -> null);
			await().atMost(Duration.ofSeconds(10)).until(() -> acquisitions.size() == 4 && ended.size() == 3);
			assertThat(acquisitions).extracting(AcquisitionEvent::acquired).containsExactly(true, false, true, true);
			assertThat(ended).containsOnly("[locks:hooks:events] held");
		}
		// The Redlock's own callback threads, never an I/O thread or the caller.
		assertThat(threads).allMatch((name) -> name.startsWith("redlock-callback"));
	}

	@Test
	void aLostLockEndsOnceEvenWhenItIsReleasedAfterwards() {
		List<String> ended = new CopyOnWriteArrayList<>();
		RedlockListener listener = new RedlockListener() {
			@Override
			public void onLockEnded(LockHandle lock, Duration held) {
				ended.add(lock.value());
			}
		};
		try (Redlock redlock = Redlock.builder().nodes(redis.uris()).listener(listener).build()) {
			Lock lock = redlock.acquire("locks:hooks:lost", Duration.ofSeconds(5));
			redis.servers().forEach((server) -> server.flushAll());
			assertThat(lock.check()).isFalse();
			await().atMost(Duration.ofSeconds(10)).until(() -> ended.size() == 1);
			lock.release();
			Lock next = redlock.acquire("locks:hooks:lost", Duration.ofSeconds(5));
			next.release();
			await().atMost(Duration.ofSeconds(10)).until(() -> ended.size() == 2);
			assertThat(ended).containsExactly(lock.value(), next.value());
		}
	}

}
