package dev.redlock.internal;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node that is one Redis master, standalone or managed by Sentinel (Lettuce follows the
 * Sentinels to the current master): one long-lived connection shared by every lock.
 * Connecting is asynchronous and retried on use, so a node that is down when the Redlock is
 * built costs failed votes, not a failed start; once connected, Lettuce reconnects by itself.
 * On every connect the scripts are loaded and the server's {@code run_id} is read.
 */
final class StandaloneNode extends ConnectedNode {

	private static final Logger logger = LoggerFactory.getLogger(StandaloneNode.class);

	/** How long a failed connect is remembered before the next operation tries again. */
	private static final long RECONNECT_INTERVAL_NANOS = 100_000_000L;

	private final RedisClient client;

	private final RedisURI uri;

	private final boolean ownsClient;

	private final Consumer<Set<String>> onIdentified;

	private final RedisConnectionStateListener connectionListener = new RedisConnectionStateListener() {
		@Override
		public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
			reconnected(handler);
		}
	};

	private volatile CompletableFuture<StatefulRedisConnection<String, String>> connection;

	private volatile long connectStartedAt;

	private volatile String identity;

	/**
	 * Does not connect yet: {@link #connect()} does.
	 * @param onIdentified told the server's {@code run_id} on every connect
	 * @param onReleaseMessage told every release notification the node publishes
	 */
	StandaloneNode(RedisClient client, RedisURI uri, boolean ownsClient, Callbacks callbacks,
			Consumer<Set<String>> onIdentified, Consumer<String> onReleaseMessage, int replicaAcknowledgements,
			Duration replicaTimeout) {
		super(NodeNames.of(uri), callbacks, () -> client.connectPubSubAsync(StringCodec.UTF8, uri), onReleaseMessage,
				replicaAcknowledgements, replicaTimeout);
		this.client = client;
		this.uri = uri;
		this.ownsClient = ownsClient;
		this.onIdentified = onIdentified;
	}

	@Override
	public CompletableFuture<?> connect() {
		this.client.addListener(this.connectionListener);
		this.connection = newConnection();
		return this.connection.handle((c, ex) -> c);
	}

	@Override
	public Set<String> identities() {
		String runId = this.identity;
		return (runId != null) ? Set.of(runId) : Set.of();
	}

	@Override
	CompletableFuture<RedisAsyncCommands<String, String>> commands() {
		CompletableFuture<StatefulRedisConnection<String, String>> current = this.connection;
		if (current.isCompletedExceptionally() && System.nanoTime() - this.connectStartedAt > RECONNECT_INTERVAL_NANOS) {
			synchronized (this) {
				if (this.connection == current) {
					this.connection = newConnection();
				}
				current = this.connection;
			}
		}
		return current.thenApply(StatefulRedisConnection::async);
	}

	/** Connects, loads the scripts and reads the identity; the connection is ready once both are done. */
	private synchronized CompletableFuture<StatefulRedisConnection<String, String>> newConnection() {
		this.connectStartedAt = System.nanoTime();
		CompletableFuture<StatefulRedisConnection<String, String>> future = this.client
			.connectAsync(StringCodec.UTF8, this.uri)
			.toCompletableFuture()
			.thenCompose((c) -> prepare(c).thenApply((ignored) -> c));
		future.whenComplete((c, ex) -> {
			if (ex != null) {
				logger.debug("Could not connect to {}: {}", name(), Futures.unwrap(ex).getMessage());
			}
		});
		return future;
	}

	private void reconnected(RedisChannelHandler<?, ?> handler) {
		CompletableFuture<StatefulRedisConnection<String, String>> current = this.connection;
		if (current != null && current.isDone() && !current.isCompletedExceptionally() && current.join() == handler) {
			prepare(current.join());
		}
	}

	/**
	 * Loads the scripts, so EVALSHA finds them after a restart or a failover, and reads the
	 * server's identity. Never fails: a user without the right to either gets EVAL fallbacks
	 * and no identity.
	 */
	private CompletableFuture<Void> prepare(StatefulRedisConnection<String, String> c) {
		return NodeIdentity.prepare(c.async(), name()).thenAccept((runId) -> {
			if (runId != null) {
				this.identity = runId;
				this.onIdentified.accept(Set.of(runId));
			}
		});
	}

	@Override
	public CompletableFuture<Void> closeAsync() {
		this.client.removeListener(this.connectionListener);
		CompletableFuture<Void> main = this.connection.handle((c, ex) -> c)
			.thenCompose((c) -> (c != null) ? c.closeAsync() : CompletableFuture.completedFuture(null));
		CompletableFuture<Void> connections = CompletableFuture.allOf(main, closeSubscription());
		return this.ownsClient ? connections.thenCompose((ignored) -> this.client.shutdownAsync(0, 1, TimeUnit.SECONDS))
				: connections;
	}

}
