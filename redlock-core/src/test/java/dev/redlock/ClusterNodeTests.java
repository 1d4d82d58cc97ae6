package dev.redlock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.redlock.testkit.RedisCluster;
import dev.redlock.testkit.RedisClusterExtension;
import dev.redlock.testkit.RedisServer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * A whole Redis Cluster as one node: keys in different slots, the cluster listed twice or
 * beside one of its own members, and a cluster client the application manages.
 *
 * <p>
 * No test runs a cluster over TLS ({@code rediss-cluster://}) yet: the testkit's clusters
 * have no TLS option (with {@code tls-cluster yes} the members announce their TLS ports, which
 * the testkit's cluster forming and member lookup do not expect). The trust material of such
 * a node goes through the cluster client customizer, which is tested here on a plain cluster.
 */
class ClusterNodeTests {

	@RegisterExtension
	static final RedisClusterExtension clusters = RedisClusterExtension.clusters(1, 3);

	private static final Duration TTL = Duration.ofSeconds(30);

	private final RedisClient inspector = RedisClient.create();

	@AfterEach
	void close() {
		this.inspector.shutdown();
	}

	/**
	 * A cluster node's client gets the cluster customizer, after the Redlock's own options
	 * (which it keeps), and never the standalone one, whose type it is not.
	 */
	@Test
	void aClusterClientCustomizerAdjustsTheClientOfAClusterNodeAfterTheDefaults() {
		List<RedisClusterClient> customized = new ArrayList<>();
		List<RedisClient> standalone = new ArrayList<>();
		try (Redlock redlock = Redlock.builder()
			.nodes(clusters.uris())
			.clientCustomizer(standalone::add)
			.clusterClientCustomizer((client) -> {
				ClusterClientOptions options = (ClusterClientOptions) client.getOptions();
				assertThat(options.getDisconnectedBehavior()).isEqualTo(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
				client.setOptions(options.mutate().maxRedirects(3).build());
				customized.add(client);
			})
			.build()) {
			assertThat(customized).hasSize(1);
			assertThat(standalone).isEmpty();
			ClusterClientOptions options = (ClusterClientOptions) customized.get(0).getOptions();
			assertThat(options.getMaxRedirects()).isEqualTo(3);
			assertThat(options.getDisconnectedBehavior()).isEqualTo(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
			redlock.acquire("locks:cluster:customized", TTL).release();
		}
	}

	@Test
	void aLockOnKeysInDifferentSlotsIsTakenWholeWithoutCrossslot() {
		RedisCluster cluster = clusters.get(0);
		List<String> keys = keysOnDifferentMasters(cluster);
		try (Redlock redlock = Redlock.builder().nodes(clusters.uris()).build()) {
			Lock lock = redlock.acquire(keys, TTL);
			for (String key : keys) {
				assertThat(get(cluster.masterFor(key), key)).isEqualTo(lock.value());
			}
			assertThat(lock.check()).isTrue();
			lock.extend(TTL);
			lock.release();
			for (String key : keys) {
				await().atMost(TTL).until(() -> get(cluster.masterFor(key), key) == null);
			}
		}
	}

	@Test
	void fencingTokensWorkOnKeysInDifferentSlotsAndIncrease() {
		List<String> keys = keysOnDifferentMasters(clusters.get(0));
		try (Redlock redlock = Redlock.builder().nodes(clusters.uris()).build()) {
			long[] previous = new long[keys.size()];
			for (int round = 0; round < 3; round++) {
				try (Lock lock = redlock.acquire(keys, TTL)) {
					for (int i = 0; i < keys.size(); i++) {
						long token = lock.fencingToken(keys.get(i));
						assertThat(token).as("round %d, %s", round, keys.get(i)).isGreaterThan(previous[i]);
						previous[i] = token;
					}
				}
			}
		}
	}

	@Test
	void aClusterRefusedOnOneSlotUndoesTheSlotsThatGranted() {
		RedisCluster cluster = clusters.get(0);
		List<String> keys = keysOnDifferentMasters(cluster);
		String taken = keys.get(keys.size() - 1);
		set(cluster.masterFor(taken), taken, "someone-else");
		try (Redlock redlock = Redlock.builder().nodes(clusters.uris()).build()) {
			assertThat(redlock.tryAcquire(keys, TTL)).isEmpty();
			for (String key : keys.subList(0, keys.size() - 1)) {
				assertThat(get(cluster.masterFor(key), key)).as("undone: %s", key).isNull();
			}
			assertThat(get(cluster.masterFor(taken), taken)).isEqualTo("someone-else");
		}
	}

	@Test
	void theSameClusterTwiceOrAMemberBesideItsClusterIsRefusedAtBuild() {
		RedisCluster cluster = clusters.get(0);
		List<String> seeds = cluster.seeds();
		List<String> reversedSeeds = new ArrayList<>(seeds);
		Collections.reverse(reversedSeeds);
		String reversed = "redis-cluster://" + String.join(",", reversedSeeds);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Redlock.builder().nodes(List.of(cluster.uri(), "redis://127.0.0.1:1", reversed)).build())
			.withMessageContaining("nodes[0]")
			.withMessageContaining("listed twice");
		String member = cluster.masters().get(1).uri();
		String otherSeed = "redis-cluster://" + seeds.get(0);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Redlock.builder().nodes(List.of(otherSeed, "redis://127.0.0.1:1", member)).build())
			.withMessageContaining("nodes[2] " + member)
			.withMessageContaining("nodes[0] redis-cluster://")
			.withMessageContaining("same server");
	}

	/**
	 * Seed lists that share no member still reach the same servers: the cluster is known by
	 * its members' identities, not by the seeds it is written with.
	 */
	@Test
	void theSameClusterListedTwiceWithDisjointSeedsIsRefusedAtBuildNamingBoth() {
		List<String> seeds = clusters.get(0).seeds();
		String first = "redis-cluster://" + seeds.get(0);
		String second = "redis-cluster://" + String.join(",", seeds.subList(1, seeds.size()));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Redlock.builder().nodes(List.of(first, "redis://127.0.0.1:1", second)).build())
			.withMessageContaining("nodes[0] " + first)
			.withMessageContaining("nodes[2] " + second)
			.withMessageContaining("are the same cluster, listed twice");
	}

	@Test
	void aClusterClientTheApplicationManagesIsANodeAndIsNotShutDown() {
		RedisClusterClient client = RedisClusterClient.create(RedisURI.create("redis://" + clusters.get(0).seeds().get(0)));
		try {
			try (Redlock redlock = Redlock.builder().node(client).build()) {
				redlock.acquire("locks:managed", TTL).release();
			}
			// Still usable: the Redlock closed its connections, not the client.
			try (var connection = client.connect()) {
				assertThat(connection.sync().ping()).isEqualTo("PONG");
			}
		}
		finally {
			client.shutdown();
		}
	}

	@Test
	void aPasswordProtectedClusterIsReachedWithTheCredentialsOfItsUri() {
		try (RedisCluster secured = RedisCluster.builder().masters(3).args("--requirepass", "s3cret", "--masterauth", "s3cret")
			.start()) {
			String uri = secured.uri().replace("redis-cluster://", "redis-cluster://:s3cret@");
			try (Redlock redlock = Redlock.builder().nodes(List.of(uri)).retryCount(0).build()) {
				assertThat(redlock.nodes()).singleElement().asString().doesNotContain("s3cret");
				List<String> keys = keysOnDifferentMasters(secured);
				redlock.acquire(keys, TTL).release();
			}
		}
	}

	@Test
	void aWaiterOnAClusterWakesOnTheReleaseNotAtItsNextPoll() throws Exception {
		RedisCluster cluster = clusters.get(0);
		try (Redlock holder = Redlock.builder().nodes(clusters.uris()).build();
				Redlock waiter = Redlock.builder().nodes(clusters.uris()).retryDelay(Duration.ofMinutes(1))
					.retryJitter(Duration.ZERO).build()) {
			Lock held = holder.acquire("locks:cluster:handoff", TTL);
			CompletableFuture<Lock> waiting = waiter.acquireAsync("locks:cluster:handoff", TTL).toCompletableFuture();
			// Classic Pub/Sub on a cluster: the waiter subscribes to the key's channel on one
			// member, and a release published on any shard reaches it over the cluster bus.
			await().atMost(TTL).until(() -> cluster.members().stream().mapToLong(this::releaseSubscribers).sum() > 0);
			held.release();
			Lock next = waiting.get(20, TimeUnit.SECONDS);
			assertThat(next.isHeld()).isTrue();
			next.release();
		}
	}

	private long releaseSubscribers(RedisServer member) {
		try (StatefulRedisConnection<String, String> c = this.inspector.connect(RedisURI.create(member.uri()))) {
			// A waiter in the key's line listens on its own channel.
			return c.sync().pubsubChannels("redlock:releases:locks:cluster:handoff@*").size();
		}
	}

	/** One key per master, found by asking the cluster who owns it. */
	private static List<String> keysOnDifferentMasters(RedisCluster cluster) {
		List<String> keys = new ArrayList<>();
		List<RedisServer> owners = new ArrayList<>();
		for (int i = 0; keys.size() < cluster.masters().size() && i < 10_000; i++) {
			String key = "locks:slots:" + i;
			RedisServer owner = cluster.masterFor(key);
			if (owners.stream().noneMatch((seen) -> seen.port() == owner.port())) {
				owners.add(owner);
				keys.add(key);
			}
		}
		assertThat(keys).hasSize(cluster.masters().size());
		return keys;
	}

	private String get(RedisServer server, String key) {
		try (StatefulRedisConnection<String, String> c = this.inspector.connect(RedisURI.create(server.uri()))) {
			return c.sync().get(key);
		}
	}

	private void set(RedisServer server, String key, String value) {
		try (StatefulRedisConnection<String, String> c = this.inspector.connect(RedisURI.create(server.uri()))) {
			assertThat(Objects.requireNonNull(c.sync().set(key, value))).isEqualTo("OK");
		}
	}

}
