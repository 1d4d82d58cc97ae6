package dev.redlock;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

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

}
