package dev.redlock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.redlock.testkit.RedisServersExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A user whose ACL allows every command and key but no Pub/Sub channel: locks work in full
 * (the release script deletes every key before it tries to publish, and catches the refused
 * publish), and the lost notification is reported once per node, not once per release.
 */
class ChannelDeniedAclTests {

	private static final String USER = "nochannels";

	private static final String PASSWORD = "nochannels-5c2a";

	private static final Duration GENEROUS = Duration.ofSeconds(30);

	private static final int RELEASES = 5;

	/** The default user stays on (no password) to inspect the nodes; the lock user has no channels. */
	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3, "--user", USER, "on", ">" + PASSWORD, "~*",
			"resetchannels", "+@all");

	private final List<String> publishRefusals = new CopyOnWriteArrayList<>();

	private final List<String> otherErrors = new CopyOnWriteArrayList<>();

	/** One thread: a task queued on it after others runs after them. */
	private ExecutorService callbacks;

	private Redlock redlock;

	private NodeInspector nodes;

	@BeforeEach
	void start() {
		this.callbacks = Executors.newSingleThreadExecutor();
		List<String> uris = redis.servers()
			.stream()
			.map((server) -> "redis://" + USER + ":" + PASSWORD + "@127.0.0.1:" + server.port())
			.toList();
		this.redlock = Redlock.builder()
			.nodes(uris)
			.commandTimeout(Duration.ofSeconds(2))
			.callbackExecutor(this.callbacks)
			.listener(new RedlockListener() {
				@Override
				public void onClientError(String node, Throwable error) {
					(String.valueOf(error.getMessage()).contains("refused to publish") ? ChannelDeniedAclTests.this.publishRefusals
							: ChannelDeniedAclTests.this.otherErrors).add(node);
				}
			})
			.build();
		this.nodes = new NodeInspector(redis.servers());
	}

	@AfterEach
	void stop() throws Exception {
		this.redlock.close();
		this.nodes.close();
		this.callbacks.shutdown();
		this.callbacks.awaitTermination(20, TimeUnit.SECONDS);
	}

	/**
	 * Pins {@code Scripts.RELEASE} deleting every key before it publishes, with
	 * {@code redis.pcall} so a refused publish does not fail the script (a {@code redis.call}
	 * would abort it: no key of a multi-resource lock would be released), and the once-only
	 * report in {@code RedisNode.release} (without it, one report per release and node).
	 */
	@Test
	void acquiresExtendsAndReleasesWithoutChannelsAndReportsTheLostNotificationOncePerNode() throws Exception {
		assertThat(channelsDenied()).as("the user may not publish").isTrue();
		for (int i = 0; i < RELEASES; i++) {
			List<String> resources = (i % 2 == 0) ? List.of("locks:acl:a", "locks:acl:b", "locks:acl:c")
					: List.of("locks:acl:single");
			Lock lock = this.redlock.acquire(resources, Duration.ofSeconds(30));
			await().atMost(GENEROUS).until(() -> this.nodes.valuesOnRunningNodes(resources.get(0)).stream()
				.allMatch(lock.value()::equals));
			assertThat(lock.extend(Duration.ofSeconds(40)).isHeld()).isTrue();
			// The extension returns once a quorum has it; the last node may still be at it.
			await().atMost(GENEROUS).untilAsserted(() -> {
				for (int node = 0; node < redis.size(); node++) {
					assertThat(this.nodes.pttl(node, resources.get(0))).as("extended on node %d", node).isGreaterThan(30_000L);
				}
			});
			lock.release();
			assertThat(lock.isHeld()).isFalse();
			await().atMost(GENEROUS)
				.untilAsserted(() -> assertThat(keysOnEveryNode()).allSatisfy((node, keys) -> assertThat(keys).as("keys on %s", node).isEmpty()));
		}
		// Every node answered every release before this PING (one connection per node, replies
		// in order), so each refusal has been handed to the single callback thread before the
		// PING's result, which is delivered on that same thread after them.
		assertThat(this.redlock.ping().toCompletableFuture().get(30, TimeUnit.SECONDS))
			.allSatisfy((vote) -> assertThat(vote.vote()).isEqualTo(NodeVote.Vote.GRANTED));
		this.callbacks.submit(() -> null).get(30, TimeUnit.SECONDS);

		List<String> expected = new ArrayList<>();
		redis.servers().forEach((server) -> expected.add("redis://127.0.0.1:" + server.port()));
		assertThat(this.publishRefusals).as("one report per node over %d releases", RELEASES)
			.containsExactlyInAnyOrderElementsOf(expected);
		assertThat(this.otherErrors).isEmpty();
	}

	/** Checks the premise with the lock user's own connection: PUBLISH is refused by the ACL. */
	private boolean channelsDenied() {
		RedisClient client = RedisClient.create();
		RedisURI uri = RedisURI.builder()
			.withHost("127.0.0.1")
			.withPort(redis.get(0).port())
			.withAuthentication(USER, PASSWORD.toCharArray())
			.build();
		try (StatefulRedisConnection<String, String> connection = client.connect(uri)) {
			connection.sync().publish("redlock:releases:probe", "probe");
			return false;
		}
		catch (io.lettuce.core.RedisCommandExecutionException ex) {
			return ex.getMessage().startsWith("NOPERM");
		}
		finally {
			client.shutdown();
		}
	}

	private Map<String, List<String>> keysOnEveryNode() {
		Map<String, List<String>> keys = new TreeMap<>();
		for (int i = 0; i < redis.size(); i++) {
			keys.put(redis.get(i).uri(), this.nodes.keys(i));
		}
		return keys;
	}

}
