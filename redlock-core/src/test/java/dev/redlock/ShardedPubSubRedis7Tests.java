package dev.redlock;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.redlock.testkit.RedisCluster;
import dev.redlock.testkit.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Release notifications by sharded Pub/Sub on a Redis 7 cluster node: the waiter subscribes
 * to its shard channel in the key's waiting line (in the key's slot) on the shard that owns
 * the key, a release wakes it there, and a
 * resharding moves the subscription with the slot. Needs Debian's {@code redis-server} (7.0):
 * the {@code redis7-tests} Maven profile runs it where {@code /usr/bin/redis-server} exists,
 * and it starts that binary by name, so every other test keeps the testkit's Redis 6.2
 * (whose cluster nodes fall back to classic Pub/Sub, see {@code ClusterNodeTests}).
 */
class ShardedPubSubRedis7Tests {

	private static final Path REDIS_7 = Path.of("/usr/bin/redis-server");

	private static final Duration TTL = Duration.ofSeconds(30);

	private static final String PREFIX = "redlock:releases";

	private static RedisCluster cluster;

	private final RedisClient inspector = RedisClient.create();

	@BeforeAll
	static void start() {
		cluster = RedisCluster.builder().masters(3).binary(REDIS_7).start();
	}

	@AfterAll
	static void stop() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@AfterEach
	void close() {
		this.inspector.shutdown();
	}

	@Test
	void theClusterRunsRedis7() {
		try (StatefulRedisConnection<String, String> c = connect(cluster.members().get(0))) {
			assertThat(c.sync().info("server")).contains("redis_version:7.");
		}
	}

	@Test
	void aWaiterIsWokenBySharedPubSubOnTheOwningShardAndUnsubscribesAfterwards() throws Exception {
		handOff("locks:sharded:handoff", false);
	}

	/**
	 * Keys whose braces would mislead a naive {@code prefix:{key}}: a hash tag, a '}' without a
	 * tag, an empty tag. A shard channel outside the key's slot would make the release
	 * script's SPUBLISH fail, and the waiter would sleep for its minute.
	 */
	@Test
	void keysWithBracesGetAShardChannelInTheirOwnSlot() throws Exception {
		for (String key : List.of("locks:{account}:1", "locks:a}b", "locks:{}x", "{{a}x", "a{b")) {
			assertThat(keySlot(shardChannel(key))).as(key).isEqualTo(keySlot(key));
		}
		handOff("locks:a}b", false);
		handOff("locks:{account}:1", false);
	}

	@Test
	void aWaiterFollowsItsKeysSlotToAnotherShard() throws Exception {
		handOff("locks:sharded:resharded", true);
	}

	private void handOff(String key, boolean reshardWhileWaiting) throws Exception {
		String shardChannel = shardChannel(key);
		try (Redlock holder = Redlock.builder().nodes(List.of(cluster.uri())).build();
				Redlock waiter = Redlock.builder().nodes(List.of(cluster.uri())).retryDelay(Duration.ofMinutes(1))
					.retryJitter(Duration.ZERO).build()) {
			Lock held = holder.acquire(key, TTL);
			CompletableFuture<Lock> waiting = waiter.acquireAsync(key, TTL).toCompletableFuture();
			RedisServer owner = cluster.masterFor(key);
			await().atMost(TTL).until(() -> shardSubscribers(owner, shardChannel) == 1);
			for (RedisServer member : cluster.members()) {
				assertThat(classicSubscribers(member, PREFIX + ":" + key)).as("classic subscribers on %s", member).isZero();
			}
			RedisServer subscribedOn = owner;
			if (reshardWhileWaiting) {
				RedisServer to = cluster.masters().stream().filter((m) -> m.port() != owner.port()).findFirst().orElseThrow();
				cluster.migrateSlot(RedisCluster.slotOf(key), to);
				// The old owner dropped the channel with the slot; the waiter subscribed again where it lives now.
				await().atMost(TTL).until(() -> shardSubscribers(to, shardChannel) == 1);
				assertThat(shardSubscribers(owner, shardChannel)).isZero();
				subscribedOn = to;
			}
			held.release();
			// Far less than the minute of the next poll: only the notification can wake it.
			Lock next = waiting.get(20, TimeUnit.SECONDS);
			assertThat(next.isHeld()).isTrue();
			RedisServer shard = subscribedOn;
			await().atMost(TTL).until(() -> shardSubscribers(shard, shardChannel) == 0);
			next.release();
		}
	}

	/** The shard channel of a key: its hash tag (or the key itself) first, then the classic channel. */
	private static String shardChannel(String key) {
		int open = key.indexOf('{');
		int close = (open >= 0) ? key.indexOf('}', open + 1) : -1;
		String tag = (close > open + 1) ? key.substring(open + 1, close) : key;
		if (close <= open + 1 && key.indexOf('}') >= 0) {
			tag = standIn(RedisCluster.slotOf(key));
		}
		return "{" + tag + "}" + PREFIX + ":" + key;
	}

	private static String standIn(int slot) {
		for (long i = 0;; i++) {
			if (RedisCluster.slotOf(Long.toString(i, 36)) == slot) {
				return Long.toString(i, 36);
			}
		}
	}

	private long keySlot(String key) {
		try (StatefulRedisConnection<String, String> c = connect(cluster.members().get(0))) {
			return c.sync().clusterKeyslot(key);
		}
	}

	/**
	 * Those who listen on {@code channel}, a key's shard channel, and on the shard channels of
	 * the waiters in the key's line ({@code channel@<line id>}), on one member.
	 */
	private long shardSubscribers(RedisServer member, String channel) {
		try (StatefulRedisConnection<String, String> c = connect(member)) {
			String ownChannels = channel.replaceAll("([*?\\[\\]\\\\])", "\\\\$1") + "@*";
			return c.sync().pubsubShardNumsub(channel).getOrDefault(channel, 0L)
					+ c.sync().pubsubShardChannels(ownChannels).size();
		}
	}

	private long classicSubscribers(RedisServer member, String channel) {
		try (StatefulRedisConnection<String, String> c = connect(member)) {
			return c.sync().pubsubNumsub(channel).getOrDefault(channel, 0L);
		}
	}

	private StatefulRedisConnection<String, String> connect(RedisServer member) {
		return this.inspector.connect(RedisURI.create(member.uri()));
	}

}
