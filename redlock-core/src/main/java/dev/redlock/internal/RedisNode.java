package dev.redlock.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One independent Redis master: a single long-lived connection shared by every lock, the
 * three lock operations, and (lazily) a Pub/Sub connection for release notifications.
 *
 * <p>
 * Connecting is asynchronous and retried on use, so a node that is down when the Redlock
 * is built costs failed votes, not a failed start. Once connected, Lettuce reconnects by
 * itself.
 */
final class RedisNode {

	private static final Logger logger = LoggerFactory.getLogger(RedisNode.class);

	/** How long a failed connect is remembered before the next operation tries again. */
	private static final long RECONNECT_INTERVAL_NANOS = 100_000_000L;

	private final String name;

	private final RedisClient client;

	private final RedisURI uri;

	private final boolean ownsClient;

	private volatile CompletableFuture<StatefulRedisConnection<String, String>> connection;

	private volatile long connectStartedAt;

	/** The last command queued while connecting; written under this. */
	private volatile CompletableFuture<StatefulRedisConnection<String, String>> whileConnecting;

	private volatile CompletableFuture<StatefulRedisPubSubConnection<String, String>> pubSub;

	RedisNode(RedisClient client, RedisURI uri, boolean ownsClient) {
		this.name = NodeNames.of(uri);
		this.client = client;
		this.uri = uri;
		this.ownsClient = ownsClient;
		this.connection = connect();
	}

	String name() {
		return this.name;
	}

	/** Completes, normally or not, when the current connection attempt is over. */
	CompletableFuture<?> connected() {
		return this.connection.handle((c, ex) -> c);
	}

	/** SET NX PX for one key, or the all-or-nothing script for several. */
	CompletableFuture<Boolean> acquire(String[] keys, String token, long ttlMillis) {
		return withConnection((redis) -> {
			if (keys.length == 1) {
				return redis.set(keys[0], token, SetArgs.Builder.nx().px(ttlMillis))
					.toCompletableFuture()
					.thenApply("OK"::equals);
			}
			return script(redis, Scripts.ACQUIRE_ALL, keys, token, Long.toString(ttlMillis));
		});
	}

	CompletableFuture<Boolean> extend(String[] keys, String token, long ttlMillis) {
		return withConnection((redis) -> script(redis, Scripts.EXTEND, keys, token, Long.toString(ttlMillis)));
	}

	/** PING: whether the node answers, for health checks. */
	CompletableFuture<Boolean> ping() {
		return withConnection((redis) -> redis.ping().toCompletableFuture().thenApply("PONG"::equals));
	}

	/** Compare-and-delete; {@code channel} is empty when no notification should be published. */
	CompletableFuture<Boolean> release(String[] keys, String token, String channel) {
		return withConnection((redis) -> script(redis, Scripts.RELEASE, keys, token, channel));
	}

	/**
	 * Subscribes to {@code channel} once; Lettuce resubscribes after reconnects. A failed
	 * subscription is retried by the next call, and until then waiters fall back to polling.
	 */
	void subscribe(String channel, Consumer<String> onMessage) {
		CompletableFuture<StatefulRedisPubSubConnection<String, String>> current = this.pubSub;
		if (current != null && !current.isCompletedExceptionally()) {
			return;
		}
		synchronized (this) {
			if (this.pubSub != current) {
				return;
			}
			this.pubSub = this.client.connectPubSubAsync(StringCodec.UTF8, this.uri)
				.toCompletableFuture()
				.thenCompose((pubSub) -> {
					pubSub.addListener(new RedisPubSubAdapter<>() {
						@Override
						public void message(String ch, String message) {
							onMessage.accept(message);
						}
					});
					return pubSub.async().subscribe(channel).toCompletableFuture().thenApply((ignored) -> pubSub);
				});
			this.pubSub.whenComplete((pubSub, ex) -> {
				if (ex != null) {
					logger.debug("Release notifications from {} unavailable, waiters poll instead", this.name, ex);
				}
			});
		}
	}

	private static CompletableFuture<Boolean> script(RedisAsyncCommands<String, String> redis, Scripts.Script script,
			String[] keys, String... args) {
		CompletableFuture<Long> result = redis.<Long>evalsha(script.sha(), ScriptOutputType.INTEGER, keys, args)
			.toCompletableFuture()
			.exceptionallyCompose((ex) -> (unwrap(ex) instanceof RedisNoScriptException)
					? redis.<Long>eval(script.text(), ScriptOutputType.INTEGER, keys, args).toCompletableFuture()
					: CompletableFuture.failedFuture(unwrap(ex)));
		return result.thenApply((count) -> count != null && count > 0);
	}

	private CompletableFuture<Boolean> withConnection(
			Function<RedisAsyncCommands<String, String>, CompletableFuture<Boolean>> command) {
		CompletableFuture<StatefulRedisConnection<String, String>> current = currentConnection();
		if (current.isDone() && !current.isCompletedExceptionally() && this.whileConnecting.isDone()) {
			return command.apply(current.join().async());
		}
		// Still connecting. A CompletableFuture runs its dependents last-in first-out, so
		// commands are chained one after another to reach the node in the order they were
		// issued: a release must never overtake the acquire it undoes.
		synchronized (this) {
			CompletableFuture<Boolean> result = new CompletableFuture<>();
			this.whileConnecting = this.whileConnecting.thenApply((c) -> {
				command.apply(c.async()).whenComplete((ok, ex) -> complete(result, ok, ex));
				return c;
			});
			this.whileConnecting.whenComplete((c, ex) -> {
				if (ex != null) {
					result.completeExceptionally(unwrap(ex));
				}
			});
			return result;
		}
	}

	private CompletableFuture<StatefulRedisConnection<String, String>> currentConnection() {
		CompletableFuture<StatefulRedisConnection<String, String>> current = this.connection;
		if (current.isCompletedExceptionally() && System.nanoTime() - this.connectStartedAt > RECONNECT_INTERVAL_NANOS) {
			synchronized (this) {
				if (this.connection == current) {
					this.connection = connect();
				}
				return this.connection;
			}
		}
		return current;
	}

	private synchronized CompletableFuture<StatefulRedisConnection<String, String>> connect() {
		this.connectStartedAt = System.nanoTime();
		CompletableFuture<StatefulRedisConnection<String, String>> future = this.client
			.connectAsync(StringCodec.UTF8, this.uri)
			.toCompletableFuture();
		this.whileConnecting = future;
		future.whenComplete((c, ex) -> {
			if (ex != null) {
				logger.debug("Could not connect to {}: {}", this.name, unwrap(ex).getMessage());
			}
		});
		return future;
	}

	private static void complete(CompletableFuture<Boolean> result, Boolean ok, Throwable ex) {
		if (ex != null) {
			result.completeExceptionally(unwrap(ex));
		}
		else {
			result.complete(ok);
		}
	}

	static Throwable unwrap(Throwable ex) {
		return (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
	}

	/**
	 * Closes the connections, also those still connecting, and shuts the client down if
	 * this node created it. Never blocks: the caller bounds the wait.
	 */
	CompletableFuture<Void> closeAsync() {
		CompletableFuture<Void> connections = CompletableFuture.allOf(closeAsync(this.connection), closeAsync(this.pubSub));
		return this.ownsClient ? connections.thenCompose((ignored) -> this.client.shutdownAsync(0, 2, TimeUnit.SECONDS))
				: connections;
	}

	private static CompletableFuture<Void> closeAsync(CompletableFuture<? extends StatefulConnection<?, ?>> future) {
		if (future == null) {
			return CompletableFuture.completedFuture(null);
		}
		return future.handle((c, ex) -> c).thenCompose((c) -> (c != null) ? c.closeAsync() : CompletableFuture.completedFuture(null));
	}

	@Override
	public String toString() {
		return this.name;
	}

}
