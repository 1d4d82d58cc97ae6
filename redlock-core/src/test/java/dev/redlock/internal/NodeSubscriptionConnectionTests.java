package dev.redlock.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.redlock.testkit.RedisServersExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A subscription the node refuses (an ACL user without channels) must not leave its
 * connection open: retried 100 times, the node's client count stays where it was, and the
 * failure is reported once, not once per try.
 */
class NodeSubscriptionConnectionTests {

	private static final String USER = "nochannels";

	private static final String PASSWORD = "nochannels-7f31";

	private static final String CHANNEL = "redlock:releases";

	private static final int TRIES = 100;

	private static final Duration GENEROUS = Duration.ofSeconds(30);

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(1, "--user", USER, "on", ">" + PASSWORD, "~*",
			"resetchannels", "+@all");

	private RedisClient client;

	private RedisClient adminClient;

	private StatefulRedisConnection<String, String> admin;

	@BeforeEach
	void connect() {
		this.client = RedisClient.create();
		this.adminClient = RedisClient.create();
		this.admin = this.adminClient.connect(RedisURI.create(redis.get(0).uri()));
	}

	@AfterEach
	void close() {
		this.admin.close();
		this.adminClient.shutdown(0, 2, TimeUnit.SECONDS);
		this.client.shutdown(0, 2, TimeUnit.SECONDS);
	}

	/**
	 * Pins the close of a refused subscription's connection in {@code NodeSubscription.settled}
	 * (without it the node holds one more connection per try: 100 here) and the report of the
	 * first failure in a row only.
	 */
	@Test
	void refusedSubscriptionsDoNotPileUpConnectionsAndAreReportedOnce() {
		RedisURI uri = RedisURI.builder()
			.withHost("127.0.0.1")
			.withPort(redis.get(0).port())
			.withAuthentication(USER, PASSWORD.toCharArray())
			.withTimeout(Duration.ofSeconds(5))
			.build();
		AtomicLong clock = new AtomicLong();
		List<Throwable> reported = new CopyOnWriteArrayList<>();
		NodeSubscription subscription = new NodeSubscription("node-under-test",
				() -> this.client.connectPubSubAsync(StringCodec.UTF8, uri), (message) -> {
		}, reported::add, 1L, clock::get);
		long before = clientCount();

		for (int i = 1; i <= TRIES; i++) {
			// Past any back-off: the tiny cap keeps it at 1 ns, and the clock moves a second.
			clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
			subscription.subscribe(CHANNEL);
			int settled = i;
			await().atMost(GENEROUS).until(() -> subscription.toString().endsWith("failures " + settled + "]"));
		}

		await().atMost(GENEROUS).untilAsserted(() -> assertThat(clientCount())
			.as("connections on the node after %d refused subscriptions", TRIES)
			.isLessThanOrEqualTo(before));
		assertThat(this.admin.sync().pubsubNumsub(CHANNEL)).containsEntry(CHANNEL, 0L);
		assertThat(reported).hasSize(1);
		assertThat(reported.get(0).getMessage()).contains("NOPERM");
		subscription.closeAsync().join();
	}

	/** Connections on the node, the admin connection included. */
	private long clientCount() {
		return this.admin.sync().clientList().lines().filter((line) -> !line.isBlank()).count();
	}

}
