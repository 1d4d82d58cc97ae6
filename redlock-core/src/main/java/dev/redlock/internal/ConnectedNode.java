package dev.redlock.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.redlock.RedlockException;
import dev.redlock.internal.WaitingLines.Claimed;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

/**
 * What every kind of node shares: the lock commands on one connection's commands, the second
 * vote refused, the report of a refused publish, and the release subscription. Subclasses
 * say how to reach the commands, and a cluster splits keys by slot before calling these.
 */
abstract class ConnectedNode implements RedisNode {

	private final String name;

	private final Callbacks callbacks;

	private final NodeSubscription subscription;

	private final AtomicBoolean publishRefusalReported = new AtomicBoolean();

	private final NodeLines lines;

	/** Replicas that must acknowledge a grant before it counts (WAIT), 0 for none. */
	private final int replicaAcknowledgements;

	private final long replicaTimeoutMillis;

	/** The node listed earlier that this one turned out to be; it must not vote twice. */
	private volatile String sameServerAs;

	/**
	 * @param replicaAcknowledgements replicas that must acknowledge a grant before it counts
	 * @param replicaTimeout how long WAIT may take for them
	 */
	ConnectedNode(String name, Callbacks callbacks,
			Supplier<CompletionStage<? extends StatefulRedisPubSubConnection<String, String>>> pubSubConnector,
			Consumer<String> onReleaseMessage, int replicaAcknowledgements, Duration replicaTimeout) {
		this.name = name;
		this.callbacks = callbacks;
		this.replicaAcknowledgements = replicaAcknowledgements;
		this.replicaTimeoutMillis = replicaTimeout.toMillis();
		this.lines = new NodeLines(name, callbacks);
		this.subscription = new NodeSubscription(name, (pubSubConnector != null) ? pubSubConnector : this::connectPubSub,
				this::shardedPubSub, onReleaseMessage,
				(error) -> callbacks.clientError(name, new RedlockException("Cannot subscribe to release notifications on "
						+ name + "; waiters poll it instead: " + error.getMessage(), error)),
				TimeUnit.SECONDS.toNanos(5), System::nanoTime);
	}

	/** Opens a Pub/Sub connection, for a subclass that passed no connector. */
	CompletionStage<? extends StatefulRedisPubSubConnection<String, String>> connectPubSub() {
		throw new UnsupportedOperationException("no Pub/Sub connector");
	}

	/**
	 * Whether release notifications use sharded Pub/Sub (SPUBLISH and SSUBSCRIBE on shard
	 * channels, see {@link ShardChannels}); asked when a Pub/Sub connection is made and on
	 * each release.
	 */
	boolean shardedPubSub() {
		return false;
	}

	/** The node's commands once connected; a failed future while it cannot be reached. */
	abstract CompletableFuture<? extends RedisClusterAsyncCommands<String, String>> commands();

	@Override
	public String name() {
		return this.name;
	}

	Callbacks callbacks() {
		return this.callbacks;
	}

	@Override
	public boolean isSameServerAsAnother() {
		return this.sameServerAs != null;
	}

	@Override
	public void sameServerAs(String otherNode) {
		this.sameServerAs = otherNode;
	}

	/**
	 * SET NX PX for one key, or the all-or-nothing script for several; with replica
	 * acknowledgements, a grant counts only once that many replicas have the keys.
	 */
	@Override
	public CompletableFuture<Boolean> acquire(String[] keys, String token, long ttlMillis) {
		CompletableFuture<Boolean> granted = (keys.length == 1)
				? send((redis) -> NodeLines.setIfAbsent(redis, keys[0], token, ttlMillis))
				: send((redis) -> script(redis, Scripts.ACQUIRE_ALL, keys, token, Long.toString(ttlMillis)));
		return withReplicas(granted, keys);
	}

	@Override
	public CompletableFuture<Claimed> claim(String key, String token, long ttlMillis, String lineId, boolean named) {
		CompletableFuture<Claimed> claimed = send((redis) -> this.lines.claim(redis, key, token, ttlMillis, lineId, named));
		if (this.replicaAcknowledgements == 0) {
			return claimed;
		}
		return claimed.thenCompose((answer) -> answer.set()
				? replicated(new String[] { key }).thenApply((ok) -> Claimed.SET) : CompletableFuture.completedFuture(answer));
	}

	@Override
	public boolean keepsLines() {
		return !this.lines.refused();
	}

	@Override
	public CompletableFuture<WaitingLines.Entered> enterLine(String key, String lineId, long expiryMillis) {
		return send((redis) -> this.lines.enter(redis, key, lineId, expiryMillis));
	}

	@Override
	public CompletableFuture<WaitingLines.Entered> takeOrEnterLine(String key, String token, long ttlMillis, String lineId,
			long expiryMillis) {
		if (this.replicaAcknowledgements > 0) {
			return NodeLines.asFirstAttempt(acquire(new String[] { key }, token, ttlMillis));
		}
		return send((redis) -> this.lines.takeOrEnter(redis, key, token, ttlMillis, lineId, expiryMillis));
	}

	@Override
	public CompletableFuture<Boolean> leaveLine(String key, String lineId, String channel) {
		return send((redis) -> this.lines.leave(redis, key, lineId, publishCommand(channel), channelOf(channel, key)));
	}

	private CompletableFuture<Boolean> withReplicas(CompletableFuture<Boolean> granted, String[] keys) {
		if (this.replicaAcknowledgements == 0) {
			return granted;
		}
		return granted.thenCompose((ok) -> ok ? replicated(keys) : CompletableFuture.completedFuture(false));
	}

	/**
	 * WAIT on the connection that wrote the keys, which counts that connection's writes: a
	 * grant that too few replicas acknowledged in time is a failed vote (and is undone), since
	 * a failover could lose it.
	 */
	CompletableFuture<Boolean> replicated(String[] keys) {
		return send((redis) -> redis.waitForReplication(this.replicaAcknowledgements, this.replicaTimeoutMillis))
			.thenApply(this::enoughReplicas);
	}

	boolean enoughReplicas(Long acknowledged) {
		if (acknowledged == null || acknowledged < this.replicaAcknowledgements) {
			throw new CompletionException(new RedlockException(this.name + ": " + acknowledged + " of "
					+ this.replicaAcknowledgements + " replicas acknowledged the lock within " + this.replicaTimeoutMillis
					+ " ms; a failover could lose it, so this node's vote does not count"));
		}
		return true;
	}

	int replicaAcknowledgements() {
		return this.replicaAcknowledgements;
	}

	long replicaTimeoutMillis() {
		return this.replicaTimeoutMillis;
	}

	@Override
	public CompletableFuture<Boolean> extend(String[] keys, String token, long ttlMillis) {
		return send((redis) -> script(redis, Scripts.EXTEND, keys, token, Long.toString(ttlMillis)));
	}

	@Override
	public CompletableFuture<Boolean> check(String[] keys, String token) {
		return send((redis) -> script(redis, Scripts.CHECK, keys, token));
	}

	@Override
	public CompletableFuture<Boolean> ping() {
		return send((redis) -> redis.ping().thenApply("PONG"::equals));
	}

	@Override
	public CompletableFuture<Boolean> release(String[] keys, String token, String channel) {
		return send((redis) -> release(redis, keys, token, channel)).thenApply((reply) -> {
			List<?> counts = (List<?>) reply;
			if (Long.valueOf(0).equals(counts.get(1)) && this.publishRefusalReported.compareAndSet(false, true)) {
				this.callbacks.clientError(this.name, new RedlockException("The node refused to publish release "
						+ "notifications on '" + channel + "' (check the user's ACL channel rules); locks are still "
						+ "released, and waiters elsewhere poll. Reported once."));
			}
			return ((Long) counts.get(0)) > 0;
		});
	}

	/**
	 * The release script, publishing on each key's classic channel ({@code prefix:key}) or,
	 * with sharded Pub/Sub, on its shard channel, which is in the key's slot so the script may
	 * SPUBLISH to it (a cluster sends one slot's keys at a time).
	 */
	private CompletionStage<Object> release(RedisClusterAsyncCommands<String, String> redis, String[] keys, String token,
			String channel) {
		String[] channels = new String[channel.isEmpty() ? 0 : keys.length];
		for (int i = 0; i < channels.length; i++) {
			channels[i] = channelOf(channel, keys[i]);
		}
		return this.lines.release(redis, keys, token, publishCommand(channel), channels);
	}

	private String publishCommand(String channel) {
		return channel.isEmpty() ? "" : shardedPubSub() ? "spublish" : "publish";
	}

	private String channelOf(String channel, String key) {
		if (channel.isEmpty()) {
			return "";
		}
		String classic = ReleaseNotifications.channelOf(channel, key);
		return shardedPubSub() ? ShardChannels.of(classic, key) : classic;
	}

	@Override
	public CompletableFuture<Void> subscribe(String channel, String key) {
		return this.subscription.subscribe(channel, key);
	}

	@Override
	public void unsubscribe(String channel) {
		this.subscription.unsubscribe(channel);
	}

	CompletableFuture<Void> closeSubscription() {
		return this.subscription.closeAsync();
	}

	private static CompletableFuture<Boolean> script(RedisClusterAsyncCommands<String, String> redis, Scripts.Script script,
			String[] keys, String... args) {
		return Scripts.<Long>run(redis, script, ScriptOutputType.INTEGER, keys, args)
			.thenApply((count) -> count != null && count > 0);
	}

	@Override
	public <T> CompletableFuture<T> send(Function<RedisClusterAsyncCommands<String, String>, CompletionStage<T>> command) {
		String duplicate = this.sameServerAs;
		if (duplicate != null) {
			return CompletableFuture.failedFuture(new RedlockException(this.name + " is the same server as " + duplicate
					+ " and does not vote: a server must vote only once"));
		}
		CompletableFuture<? extends RedisClusterAsyncCommands<String, String>> current = commands();
		if (current.isDone() && !current.isCompletedExceptionally()) {
			return command.apply(current.join()).toCompletableFuture();
		}
		return current.thenCompose((redis) -> command.apply(redis))
			.exceptionallyCompose((ex) -> CompletableFuture.failedFuture(Futures.unwrap(ex)));
	}

	@Override
	public String toString() {
		return this.name;
	}

}
