package dev.redlock.internal;

import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.redlock.RedlockException;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One independent Redis master: one long-lived connection shared by every lock, and the lock
 * commands on it. Connecting is asynchronous and retried on use, so a node that is down when
 * the Redlock is built costs failed votes, not a failed start; once connected, Lettuce
 * reconnects by itself. On every connect the node's scripts are loaded and its identity
 * (the server's {@code run_id}) is read, for {@link Nodes} to tell one server from another.
 */
final class RedisNode {

	private static final Logger logger = LoggerFactory.getLogger(RedisNode.class);

	/** How long a failed connect is remembered before the next operation tries again. */
	private static final long RECONNECT_INTERVAL_NANOS = 100_000_000L;

	private final String name;

	private final RedisClient client;

	private final RedisURI uri;

	private final boolean ownsClient;

	private final Callbacks callbacks;

	private final NodeSubscription subscription;

	private final AtomicBoolean publishRefusalReported = new AtomicBoolean();

	private final RedisConnectionStateListener connectionListener = new RedisConnectionStateListener() {
		@Override
		public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
			reconnected(handler);
		}
	};

	private final Consumer<String> onIdentified;

	private volatile CompletableFuture<StatefulRedisConnection<String, String>> connection;

	private volatile long connectStartedAt;

	private volatile String identity;

	/** The node listed earlier that this one turned out to be; it must not vote twice. */
	private volatile String sameServerAs;

	/**
	 * Does not connect yet: {@link #connect()} does.
	 * @param onIdentified told the server's {@code run_id} on every connect
	 * @param onReleaseMessage told every release notification the node publishes
	 */
	RedisNode(RedisClient client, RedisURI uri, boolean ownsClient, Callbacks callbacks, Consumer<String> onIdentified,
			Consumer<String> onReleaseMessage) {
		this.name = NodeNames.of(uri);
		this.client = client;
		this.uri = uri;
		this.ownsClient = ownsClient;
		this.callbacks = callbacks;
		this.onIdentified = onIdentified;
		this.subscription = new NodeSubscription(this.name, client, uri, onReleaseMessage,
				(error) -> callbacks.clientError(this.name, new RedlockException("Cannot subscribe to release notifications on "
						+ this.name + "; waiters poll it instead: " + error.getMessage(), error)),
				TimeUnit.SECONDS.toNanos(5), System::nanoTime);
	}

	/** Starts connecting; the future completes, normally or not, when the first attempt is over. */
	CompletableFuture<?> connect() {
		this.client.addListener(this.connectionListener);
		this.connection = newConnection();
		return this.connection.handle((c, ex) -> c);
	}

	String name() {
		return this.name;
	}

	/** The server's {@code run_id}, once connected; {@code null} before, or if the user may not run INFO. */
	String identity() {
		return this.identity;
	}

	boolean isSameServerAsAnother() {
		return this.sameServerAs != null;
	}

	/** Stops (or, with {@code null}, resumes) this node's votes: it is the same server as another node. */
	void sameServerAs(String otherNode) {
		this.sameServerAs = otherNode;
	}

	/** SET NX PX for one key, or the all-or-nothing script for several. */
	CompletableFuture<Boolean> acquire(String[] keys, String token, long ttlMillis) {
		if (keys.length == 1) {
			return send((redis) -> redis.set(keys[0], token, SetArgs.Builder.nx().px(ttlMillis)).thenApply("OK"::equals));
		}
		return send((redis) -> script(redis, Scripts.ACQUIRE_ALL, keys, token, Long.toString(ttlMillis)));
	}

	CompletableFuture<Boolean> extend(String[] keys, String token, long ttlMillis) {
		return send((redis) -> script(redis, Scripts.EXTEND, keys, token, Long.toString(ttlMillis)));
	}

	CompletableFuture<Boolean> check(String[] keys, String token) {
		return send((redis) -> script(redis, Scripts.CHECK, keys, token));
	}

	CompletableFuture<Boolean> ping() {
		return send((redis) -> redis.ping().thenApply("PONG"::equals));
	}

	/**
	 * Compare-and-delete; {@code channel} is empty when no notification should be published.
	 * A publish the node refuses (an ACL without the channel) loses only the notification, and
	 * is reported once.
	 */
	CompletableFuture<Boolean> release(String[] keys, String token, String channel) {
		return send((redis) -> Scripts.run(redis, Scripts.RELEASE, ScriptOutputType.MULTI, keys, token, channel))
			.thenApply((reply) -> {
				List<?> counts = (List<?>) reply;
				if (Long.valueOf(0).equals(counts.get(1)) && this.publishRefusalReported.compareAndSet(false, true)) {
					this.callbacks.clientError(this.name, new RedlockException("The node refused to publish release "
							+ "notifications on '" + channel + "' (check the user's ACL channel rules); locks are still "
							+ "released, and waiters elsewhere poll. Reported once."));
				}
				return ((Long) counts.get(0)) > 0;
			});
	}

	/** Subscribes to release notifications unless already subscribed or backing off. */
	void subscribe(String channel) {
		this.subscription.ensure(channel);
	}

	private static CompletableFuture<Boolean> script(RedisAsyncCommands<String, String> redis, Scripts.Script script,
			String[] keys, String... args) {
		return Scripts.<Long>run(redis, script, ScriptOutputType.INTEGER, keys, args)
			.thenApply((count) -> count != null && count > 0);
	}

	/** Sends {@code command} on the node's connection, once connected; refused if this node does not vote. */
	<T> CompletableFuture<T> send(Function<RedisAsyncCommands<String, String>, CompletionStage<T>> command) {
		String duplicate = this.sameServerAs;
		if (duplicate != null) {
			return CompletableFuture.failedFuture(new RedlockException(this.name + " is the same server as " + duplicate
					+ " and does not vote: a server must vote only once"));
		}
		CompletableFuture<StatefulRedisConnection<String, String>> current = currentConnection();
		StatefulRedisConnection<String, String> ready = current.getNow(null);
		if (ready != null) {
			return command.apply(ready.async()).toCompletableFuture();
		}
		return current.thenCompose((c) -> command.apply(c.async())).exceptionallyCompose((ex) -> CompletableFuture.failedFuture(Futures.unwrap(ex)));
	}

	private CompletableFuture<StatefulRedisConnection<String, String>> currentConnection() {
		CompletableFuture<StatefulRedisConnection<String, String>> current = this.connection;
		if (current.isCompletedExceptionally() && System.nanoTime() - this.connectStartedAt > RECONNECT_INTERVAL_NANOS) {
			synchronized (this) {
				if (this.connection == current) {
					this.connection = newConnection();
				}
				return this.connection;
			}
		}
		return current;
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
				logger.debug("Could not connect to {}: {}", this.name, Futures.unwrap(ex).getMessage());
			}
		});
		return future;
	}

	private void reconnected(RedisChannelHandler<?, ?> handler) {
		StatefulRedisConnection<String, String> current = this.connection.getNow(null);
		if (current == handler) {
			prepare(current);
		}
	}

	/**
	 * Loads the scripts, so EVALSHA finds them after a restart or a failover, and reads the
	 * server's identity. Never fails: a user without the right to either gets EVAL fallbacks
	 * and no identity.
	 */
	private CompletableFuture<Void> prepare(StatefulRedisConnection<String, String> c) {
		RedisAsyncCommands<String, String> redis = c.async();
		for (Scripts.Script script : Scripts.ALL) {
			redis.scriptLoad(script.text());
		}
		return redis.info("server").toCompletableFuture().handle((info, ex) -> {
			String runId = (info != null) ? runId(info) : null;
			if (runId != null) {
				this.identity = runId;
				this.onIdentified.accept(runId);
			}
			else if (ex != null) {
				logger.debug("Cannot read the identity of {}: {}", this.name, Futures.unwrap(ex).getMessage());
			}
			return null;
		});
	}

	private static String runId(String info) {
		for (String line : info.split("\r?\n")) {
			if (line.startsWith("run_id:")) {
				return line.substring("run_id:".length()).trim();
			}
		}
		return null;
	}

	/**
	 * Closes the connections, also those still connecting, and shuts the client down if this
	 * node created it. Never blocks: the caller bounds the wait.
	 */
	CompletableFuture<Void> closeAsync() {
		this.client.removeListener(this.connectionListener);
		CompletableFuture<Void> main = this.connection.handle((c, ex) -> c)
			.thenCompose((c) -> (c != null) ? c.closeAsync() : CompletableFuture.completedFuture(null));
		CompletableFuture<Void> connections = CompletableFuture.allOf(main, this.subscription.closeAsync());
		return this.ownsClient ? connections.thenCompose((ignored) -> this.client.shutdownAsync(0, 1, TimeUnit.SECONDS))
				: connections;
	}

	@Override
	public String toString() {
		return this.name;
	}

}
