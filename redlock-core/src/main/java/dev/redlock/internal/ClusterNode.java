package dev.redlock.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node that is a whole Redis Cluster: one vote, however many shards. Lettuce routes each
 * command to the shard that owns its key and follows {@code MOVED} and {@code ASK} during a
 * resharding. Keys of one lock that live in different slots are split into one all-or-nothing
 * script per slot, sent in parallel; the cluster grants only if every group did, and undoes
 * the groups that granted otherwise, so no {@code CROSSSLOT} error ever reaches the user.
 * Release notifications use classic Pub/Sub, which a cluster carries to every member.
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

	ClusterNode(RedisClusterClient client, String name, boolean ownsClient, Callbacks callbacks,
			Consumer<Set<String>> onIdentified, Consumer<String> onReleaseMessage) {
		super(name, callbacks, () -> client.connectPubSubAsync(StringCodec.UTF8), onReleaseMessage);
		this.client = client;
		this.ownsClient = ownsClient;
		this.onIdentified = onIdentified;
	}

	@Override
	public CompletableFuture<?> connect() {
		this.connection = newConnection();
		return this.connection.handle((c, ex) -> c);
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

	private static Map<Integer, List<String>> bySlot(String[] keys) {
		return SlotHash.partition(StringCodec.UTF8, List.of(keys));
	}

	private synchronized CompletableFuture<StatefulRedisClusterConnection<String, String>> newConnection() {
		this.connectStartedAt = System.nanoTime();
		// Lettuce's connectAsync fails at once ("Partitions not initialized") unless the topology
		// was loaded before; loading it again on a reconnect also picks up a changed cluster.
		CompletableFuture<StatefulRedisClusterConnection<String, String>> future = this.client
			.refreshPartitionsAsync()
			.toCompletableFuture()
			.thenCompose((loaded) -> this.client.connectAsync(StringCodec.UTF8))
			.thenCompose((c) -> identify(c).thenApply((ignored) -> c));
		future.whenComplete((c, ex) -> {
			if (ex != null) {
				logger.debug("Could not connect to {}: {}", name(), Futures.unwrap(ex).getMessage());
			}
		});
		return future;
	}

	/**
	 * Loads the scripts on every member and reads every member's {@code run_id}: a standalone
	 * node that is also a member of this cluster, or the same cluster listed twice, shares one.
	 */
	private CompletableFuture<Void> identify(StatefulRedisClusterConnection<String, String> c) {
		List<CompletableFuture<String>> members = new ArrayList<>();
		for (RedisClusterNode member : c.getPartitions()) {
			members.add(c.getConnectionAsync(member.getNodeId())
				.thenCompose((memberConnection) -> NodeIdentity.prepare(memberConnection.async(), name()))
				.exceptionally((ex) -> null));
		}
		return CompletableFuture.allOf(members.toArray(CompletableFuture[]::new)).thenRun(() -> {
			Set<String> runIds = new HashSet<>();
			members.forEach((member) -> {
				if (member.join() != null) {
					runIds.add(member.join());
				}
			});
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
