package dev.redlock.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node that is a whole Redis Cluster: one vote, however many shards. Lettuce routes each
 * command to the shard that owns its key and follows {@code MOVED} and {@code ASK} during a
 * resharding. Keys of one lock that live in different slots are split into one all-or-nothing
 * script per slot, sent in parallel; the cluster grants only if every group did, and undoes
 * the groups that granted otherwise, so no {@code CROSSSLOT} error ever reaches the user.
 * Release notifications use sharded Pub/Sub when every member runs Redis 7 or later: a release
 * is SPUBLISHed on the key's shard channel ({@link ShardChannels}), which only the shard that
 * owns the key carries, and waiters SSUBSCRIBE there. Otherwise classic Pub/Sub, which the
 * cluster bus carries to every member. The choice is made on the first connect that reads
 * every member's version, and kept: both ends of a notification must agree on it.
 */
final class ClusterNode extends ConnectedNode {

	private static final Logger logger = LoggerFactory.getLogger(ClusterNode.class);

	private static final long RECONNECT_INTERVAL_NANOS = 100_000_000L;

	private final RedisClusterClient client;

	private final boolean ownsClient;

	private final Consumer<Set<String>> onIdentified;

	private volatile CompletableFuture<StatefulRedisClusterConnection<String, String>> connection;

	private volatile long connectStartedAt;

	private volatile Set<String> identities = Set.of();

	/** Null until the members' versions were read; then whether every one has sharded Pub/Sub. */
	private volatile Boolean sharded;

	ClusterNode(RedisClusterClient client, String name, boolean ownsClient, Callbacks callbacks,
			Consumer<Set<String>> onIdentified, Consumer<String> onReleaseMessage, int replicaAcknowledgements,
			Duration replicaTimeout) {
		super(name, callbacks, null, onReleaseMessage, replicaAcknowledgements, replicaTimeout);
		this.client = client;
		this.ownsClient = ownsClient;
		this.onIdentified = onIdentified;
	}

	@Override
	public CompletableFuture<?> connect() {
		this.connection = newConnection();
		return this.connection.handle((c, ex) -> c);
	}

	/**
	 * After the command connection, which reads the members' versions: the Pub/Sub connection
	 * must know whether to subscribe to shard channels.
	 */
	@Override
	CompletionStage<? extends StatefulRedisPubSubConnection<String, String>> connectPubSub() {
		return commands().thenCompose((ignored) -> this.client.connectPubSubAsync(StringCodec.UTF8));
	}

	@Override
	boolean shardedPubSub() {
		return Boolean.TRUE.equals(this.sharded);
	}

	@Override
	public Set<String> identities() {
		return this.identities;
	}

	@Override
	CompletableFuture<RedisAdvancedClusterAsyncCommands<String, String>> commands() {
		CompletableFuture<StatefulRedisClusterConnection<String, String>> current = this.connection;
		if (current.isCompletedExceptionally() && System.nanoTime() - this.connectStartedAt > RECONNECT_INTERVAL_NANOS) {
			synchronized (this) {
				if (this.connection == current) {
					this.connection = newConnection();
				}
				current = this.connection;
			}
		}
		return current.thenApply(StatefulRedisClusterConnection::async);
	}

	@Override
	public CompletableFuture<Boolean> acquire(String[] keys, String token, long ttlMillis) {
		Map<Integer, List<String>> groups = bySlot(keys);
		if (groups.size() == 1) {
			return super.acquire(keys, token, ttlMillis);
		}
		List<String[]> slots = groups.values().stream().map((group) -> group.toArray(String[]::new)).toList();
		List<CompletableFuture<Boolean>> replies = slots.stream().map((group) -> super.acquire(group, token, ttlMillis)).toList();
		return CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).thenCompose((ignored) -> {
			if (replies.stream().allMatch(CompletableFuture::join)) {
				return CompletableFuture.completedFuture(true);
			}
			// Refused as a whole: what some slots granted is undone here, since a refusal is
			// final and the round undoes nothing on a node that refused.
			List<CompletableFuture<Boolean>> undone = new ArrayList<>();
			for (int i = 0; i < slots.size(); i++) {
				if (replies.get(i).join()) {
					undone.add(super.release(slots.get(i), token, ""));
				}
			}
			return CompletableFuture.allOf(undone.toArray(CompletableFuture[]::new)).handle((done, ex) -> false);
		});
	}

	@Override
	public CompletableFuture<Boolean> extend(String[] keys, String token, long ttlMillis) {
		return everySlot(keys, (group) -> super.extend(group, token, ttlMillis));
	}

	@Override
	public CompletableFuture<Boolean> check(String[] keys, String token) {
		return everySlot(keys, (group) -> super.check(group, token));
	}

	@Override
	public CompletableFuture<Boolean> release(String[] keys, String token, String channel) {
		List<CompletableFuture<Boolean>> replies = bySlot(keys).values()
			.stream()
			.map((group) -> super.release(group.toArray(String[]::new), token, channel))
			.toList();
		return CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new))
			.thenApply((ignored) -> replies.stream().anyMatch(CompletableFuture::join));
	}

	/**
	 * WAIT goes to the master that owns the keys' slot, on the connection the cluster routes
	 * that slot's writes through, since WAIT counts the writes of its own connection.
	 */
	@Override
	CompletableFuture<Boolean> replicated(String[] keys) {
		CompletableFuture<StatefulRedisClusterConnection<String, String>> current = this.connection;
		return current.thenCompose((c) -> {
			RedisClusterNode master = c.getPartitions().getPartitionBySlot(SlotHash.getSlot(keys[0]));
			if (master == null) {
				return CompletableFuture.failedFuture(new IllegalStateException(name() + ": no master serves the slot of "
						+ keys[0] + " (the cluster is resharding or down)"));
			}
			return c.getConnectionAsync(master.getNodeId())
				.thenCompose((node) -> node.async().waitForReplication(replicaAcknowledgements(), replicaTimeoutMillis()))
				.thenApply(this::enoughReplicas);
		});
	}

	/** True if the command is true for every slot group of the keys. */
	private CompletableFuture<Boolean> everySlot(String[] keys, Function<String[], CompletableFuture<Boolean>> command) {
		Map<Integer, List<String>> groups = bySlot(keys);
		if (groups.size() == 1) {
			return command.apply(keys);
		}
		List<CompletableFuture<Boolean>> replies = groups.values().stream().map((group) -> command.apply(group.toArray(String[]::new))).toList();
		return CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new))
			.thenApply((ignored) -> replies.stream().allMatch(CompletableFuture::join));
	}

	@Override
	public List<int[]> slotGroups(String[] keys) {
		Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
		for (int i = 0; i < keys.length; i++) {
			groups.computeIfAbsent(SlotHash.getSlot(keys[i]), (slot) -> new ArrayList<>()).add(i);
		}
		return groups.values().stream().map((group) -> group.stream().mapToInt(Integer::intValue).toArray()).toList();
	}

	private static Map<Integer, List<String>> bySlot(String[] keys) {
		return SlotHash.partition(StringCodec.UTF8, List.of(keys));
	}

	private synchronized CompletableFuture<StatefulRedisClusterConnection<String, String>> newConnection() {
		this.connectStartedAt = System.nanoTime();
		CompletableFuture<StatefulRedisClusterConnection<String, String>> future = topology(this.client)
			.thenCompose((ignored) -> this.client.connectAsync(StringCodec.UTF8))
			.thenCompose((c) -> identify(c).thenApply((ignored) -> c));
		future.whenComplete((c, ex) -> {
			if (ex != null) {
				logger.debug("Could not connect to {}: {}", name(), Futures.unwrap(ex).getMessage());
			}
		});
		return future;
	}

	/** Lettuce connects asynchronously only once it knows the topology: fetched from the seeds first. */
	private static CompletableFuture<Void> topology(RedisClusterClient client) {
		return client.refreshPartitionsAsync().toCompletableFuture();
	}

	/**
	 * Loads the scripts on every member and reads every member's {@code run_id}: a standalone
	 * node that is also a member of this cluster, or the same cluster listed twice, shares one.
	 */
	private CompletableFuture<Void> identify(StatefulRedisClusterConnection<String, String> c) {
		List<CompletableFuture<String>> members = new ArrayList<>();
		for (RedisClusterNode member : c.getPartitions()) {
			members.add(c.getConnectionAsync(member.getNodeId())
				.thenCompose((memberConnection) -> NodeIdentity.prepareInfo(memberConnection.async(), name()))
				.exceptionally((ex) -> null));
		}
		return CompletableFuture.allOf(members.toArray(CompletableFuture[]::new)).thenRun(() -> {
			Set<String> runIds = new HashSet<>();
			boolean allSharded = true;
			for (CompletableFuture<String> member : members) {
				String info = member.join();
				String runId = (info != null) ? NodeIdentity.runId(info) : null;
				if (runId != null) {
					runIds.add(runId);
				}
				// A member that did not answer, or hides its version, may not have it: classic.
				allSharded &= info != null && NodeIdentity.majorVersion(info) >= 7;
			}
			if (this.sharded == null) {
				this.sharded = allSharded;
				logger.debug("{} carries release notifications by {} Pub/Sub", name(), allSharded ? "sharded" : "classic");
			}
			this.identities = Set.copyOf(runIds);
			this.onIdentified.accept(this.identities);
		});
	}

	@Override
	public CompletableFuture<Void> closeAsync() {
		CompletableFuture<Void> main = this.connection.handle((c, ex) -> c)
			.thenCompose((c) -> (c != null) ? c.closeAsync() : CompletableFuture.completedFuture(null));
		CompletableFuture<Void> connections = CompletableFuture.allOf(main, closeSubscription());
		return this.ownsClient ? connections.thenCompose((ignored) -> this.client.shutdownAsync(0, 1, TimeUnit.SECONDS))
				: connections;
	}

}
