package dev.redlock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.redlock.testkit.RedisServersExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An ACL user allowed the lock keys only ({@code ~locks:*}), not the waiting lines'
 * ({@code redlock:line:*}): releases, which name a key's line, must still release, and
 * waiters must still be woken, by the key's channel as before lines, with the refusal
 * reported once per node. The fallback poll is a minute, so only a notification can hand
 * the lock over within the test's bound.
 */
class LineKeysDeniedAclTests {

	private static final String USER = "nolines";

	private static final String PASSWORD = "nolines-7d1e";

	private static final Duration GENEROUS = Duration.ofSeconds(30);

	private static final Duration TTL = Duration.ofSeconds(30);

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3, "--user", USER, "on", ">" + PASSWORD,
			"~locks:*", "&*", "+@all");

	private final List<String> lineRefusals = new CopyOnWriteArrayList<>();

	private final List<Throwable> otherErrors = new CopyOnWriteArrayList<>();

	@RegisterExtension
	final OpenedRedlocks opened = new OpenedRedlocks(redis);

	private Redlock redlock() {
		List<String> uris = redis.servers()
			.stream()
			.map((server) -> "redis://" + USER + ":" + PASSWORD + "@127.0.0.1:" + server.port())
			.toList();
		return this.opened.open(Redlock.builder()
			.nodes(uris)
			.retryDelay(Duration.ofSeconds(60))
			.retryJitter(Duration.ZERO)
			.listener(new RedlockListener() {
				@Override
				public void onClientError(String node, Throwable error) {
					if (String.valueOf(error.getMessage()).contains("waiting lines")) {
						LineKeysDeniedAclTests.this.lineRefusals.add(node);
					}
					else {
						LineKeysDeniedAclTests.this.otherErrors.add(error);
					}
				}
			}));
	}

	@Test
	void locksAreHandedOverWithoutLinesAndTheRefusalIsReportedOncePerNode() throws Exception {
		Redlock holder = redlock();
		Redlock waiter = redlock();
		for (int round = 0; round < 3; round++) {
			String key = "locks:no-lines:" + round;
			Lock held = holder.acquire(key, TTL);
			CompletableFuture<Lock> waiting = waiter.acquireAsync(key, TTL).toCompletableFuture();
			await().atMost(GENEROUS).until(() -> this.opened.nodes().listeners(0, key) > 0 && this.opened.nodes().subscribers(0,
					"redlock:releases:" + key) > 0);

			held.release();
			assertThat(held.isHeld()).isFalse();
			Lock next = waiting.get(20, TimeUnit.SECONDS);
			this.opened.nodes().awaitEverywhere(key, next.value());
			next.release();
			await().atMost(GENEROUS).until(() -> this.opened.nodes().keys(0).isEmpty() && this.opened.nodes().keys(1).isEmpty()
					&& this.opened.nodes().keys(2).isEmpty());
		}
		// Each Redlock found out on its own, once per node: the waiter entering, the holder releasing.
		await().atMost(GENEROUS).untilAsserted(() -> assertThat(this.lineRefusals).hasSize(6));
		assertThat(this.otherErrors).isEmpty();
	}

}
