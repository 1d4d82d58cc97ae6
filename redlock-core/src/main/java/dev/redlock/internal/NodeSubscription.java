package dev.redlock.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import dev.redlock.RedlockException;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

/**
 * One node's Pub/Sub connection for release notifications, carrying one channel per key that
 * a local acquisition waits for: a release then reaches only the processes that wait for its
 * key. Connected on the first subscription; Lettuce resubscribes the channels after a
 * reconnect. A failure (the node is down, or an ACL denies the channel) closes the
 * connection, so failures never pile up connections on the node, and the next subscription
 * waits out a back-off that doubles up to a cap: waiters poll meanwhile. The first failure
 * in a row is reported; the rest only logged.
 *
 * <p>
 * Subscribe and unsubscribe commands of one channel are issued under this object's monitor
 * on one connection, so the node applies them in the order they were asked for.
 *
 * <p>
 * On a cluster whose servers have sharded Pub/Sub, a connection is sharded: each key's channel
 * is its shard channel ({@link ShardChannels}), SSUBSCRIBEd one at a time (Lettuce routes each
 * to the shard that owns its slot; several at once could span slots). When a slot moves, the
 * server drops its shard channels' subscribers with an SUNSUBSCRIBE of its own; a channel
 * still wanted is then subscribed again, on the slot's new owner.
 */
final class NodeSubscription {

	private static final long FIRST_BACKOFF_NANOS = 10_000_000L;

	private final String nodeName;

	private final Supplier<CompletionStage<? extends StatefulRedisPubSubConnection<String, String>>> connector;

	private final Consumer<String> onMessage;

	private final Consumer<Throwable> onFirstFailure;

	private final long maxBackoffNanos;

	private final LongSupplier clock;

	/** Whether a connection made now is sharded; asked once it is connected. */
	private final BooleanSupplier sharded;

	/**
	 * The channels wanted now, each with its key; subscribed once connected, and again after a
	 * failure.
	 */
	private final Map<String, String> wanted = new HashMap<>();

	private CompletableFuture<StatefulRedisPubSubConnection<String, String>> current;

	/** Whether {@link #current} is sharded; set when it connects. */
	private volatile boolean currentSharded;

	private int failures;

	private long retryAt;

	private boolean closed;

	/** @param connector opens a new Pub/Sub connection to the node */
	NodeSubscription(String nodeName, Supplier<CompletionStage<? extends StatefulRedisPubSubConnection<String, String>>> connector,
			Consumer<String> onMessage, Consumer<Throwable> onFirstFailure, long maxBackoffNanos, LongSupplier clock) {
		this(nodeName, connector, () -> false, onMessage, onFirstFailure, maxBackoffNanos, clock);
	}

	/**
	 * @param connector opens a new Pub/Sub connection to the node
	 * @param sharded whether the connection just opened is to use sharded Pub/Sub
	 */
	NodeSubscription(String nodeName, Supplier<CompletionStage<? extends StatefulRedisPubSubConnection<String, String>>> connector,
			BooleanSupplier sharded, Consumer<String> onMessage, Consumer<Throwable> onFirstFailure, long maxBackoffNanos,
			LongSupplier clock) {
		this.nodeName = nodeName;
		this.sharded = sharded;
		this.connector = connector;
		this.onMessage = onMessage;
		this.onFirstFailure = onFirstFailure;
		this.maxBackoffNanos = maxBackoffNanos;
		this.clock = clock;
	}

	/**
	 * Subscribes to {@code channel}, connecting first if needed.
	 * @return completes once the node confirmed the subscription; fails while the node cannot
	 * be reached or refuses, and at once during a back-off
	 */
	CompletableFuture<Void> subscribe(String channel) {
		return subscribe(channel, channel);
	}

	/**
	 * Subscribes to {@code channel}, the classic channel of {@code key}, connecting first if
	 * needed.
	 * @return completes once the node confirmed the subscription; fails while the node cannot
	 * be reached or refuses, and at once during a back-off
	 */
	synchronized CompletableFuture<Void> subscribe(String channel, String key) {
		if (this.closed) {
			return CompletableFuture.failedFuture(new RedlockException("closed"));
		}
		this.wanted.put(channel, key);
		CompletableFuture<StatefulRedisPubSubConnection<String, String>> connection = connection();
		if (connection == null) {
			return CompletableFuture.failedFuture(new RedlockException(this.nodeName + ": subscriptions back off after a failure"));
		}
		if (connection.isDone() && !connection.isCompletedExceptionally()) {
			return issue(connection, connection.join(), channel);
		}
		return connection.thenCompose((pubSub) -> {
			synchronized (this) {
				// Every channel wanted now (in one command, or one per shard channel): a new
				// connection after a failure must hear the channels of the waiters that were
				// waiting before it, too.
				return this.wanted.isEmpty() ? CompletableFuture.completedFuture(null)
						: issue(connection, pubSub, this.wanted.keySet().toArray(String[]::new));
			}
		});
	}

	/** Stops hearing {@code channel}; nothing to wait for. */
	synchronized void unsubscribe(String channel) {
		String key = this.wanted.remove(channel);
		CompletableFuture<StatefulRedisPubSubConnection<String, String>> connection = this.current;
		if (key != null && connection != null && connection.isDone() && !connection.isCompletedExceptionally()) {
			if (this.currentSharded) {
				connection.join().async().sunsubscribe(ShardChannels.of(channel, key));
			}
			else {
				connection.join().async().unsubscribe(channel);
			}
		}
	}

	/** The live or connecting connection; a new one past a back-off; null while backing off. */
	private CompletableFuture<StatefulRedisPubSubConnection<String, String>> connection() {
		if (this.current != null && !this.current.isCompletedExceptionally()) {
			return this.current;
		}
		if (this.clock.getAsLong() - this.retryAt < 0) {
			return null;
		}
		CompletableFuture<StatefulRedisPubSubConnection<String, String>> connecting = this.connector.get()
			.toCompletableFuture()
			.thenApply((pubSub) -> {
				boolean shard = this.sharded.getAsBoolean();
				pubSub.addListener(new RedisPubSubAdapter<>() {
					@Override
					public void message(String ch, String message) {
						NodeSubscription.this.onMessage.accept(message);
					}

					@Override
					public void smessage(String ch, String message) {
						NodeSubscription.this.onMessage.accept(message);
					}

					@Override
					public void sunsubscribed(String ch, long count) {
						movedAway(pubSub, ch, 0);
					}
				});
				synchronized (this) {
					this.currentSharded = shard;
				}
				return pubSub;
			});
		this.current = connecting;
		connecting.whenComplete((pubSub, ex) -> {
			if (ex != null) {
				failed(connecting, ex);
			}
		});
		return connecting;
	}

	private CompletableFuture<Void> issue(CompletableFuture<StatefulRedisPubSubConnection<String, String>> connection,
			StatefulRedisPubSubConnection<String, String> pubSub, String... channels) {
		CompletableFuture<Void> subscribed;
		if (this.currentSharded) {
			List<CompletableFuture<Void>> each = new ArrayList<>();
			for (String channel : channels) {
				each.add(pubSub.async().ssubscribe(ShardChannels.of(channel, this.wanted.get(channel))).toCompletableFuture());
			}
			subscribed = CompletableFuture.allOf(each.toArray(CompletableFuture[]::new));
		}
		else {
			subscribed = pubSub.async().subscribe(channels).toCompletableFuture();
		}
		subscribed.whenComplete((ignored, ex) -> {
			if (ex != null) {
				failed(connection, ex);
			}
			else {
				synchronized (this) {
					this.failures = 0;
				}
			}
		});
		return subscribed;
	}

	/**
	 * An SUNSUBSCRIBE of a shard channel: ours (nothing to do), or the server's when the slot
	 * moved to another shard: subscribed again where it lives now (Lettuce follows the MOVED
	 * of the old owner), retried a few times while the client learns the new topology. A
	 * release in the gap is not heard: it costs its waiters one retry delay, since they poll.
	 */
	private void movedAway(StatefulRedisPubSubConnection<String, String> pubSub, String shardChannel, int tries) {
		String channel;
		synchronized (this) {
			if (this.closed || !this.currentSharded || this.current == null || this.current.getNow(null) != pubSub) {
				return;
			}
			channel = this.wanted.entrySet()
				.stream()
				.filter((wantedChannel) -> ShardChannels.of(wantedChannel.getKey(), wantedChannel.getValue()).equals(shardChannel))
				.map(Map.Entry::getKey)
				.findFirst()
				.orElse(null);
			if (channel == null) {
				return;
			}
		}
		pubSub.async().ssubscribe(shardChannel).toCompletableFuture().whenComplete((ok, ex) -> {
			if (ex != null && tries < 20) {
				CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS)
					.execute(() -> movedAway(pubSub, shardChannel, tries + 1));
			}
		});
	}

	/** Drops the connection that failed (once), backs off, and reports the first failure in a row. */
	private void failed(CompletableFuture<StatefulRedisPubSubConnection<String, String>> connection, Throwable ex) {
		boolean report;
		synchronized (this) {
			if (connection != this.current) {
				return;
			}
			report = this.failures == 0 && !this.closed;
			long backoff = Math.min(FIRST_BACKOFF_NANOS << Math.min(this.failures, 30), this.maxBackoffNanos);
			this.failures++;
			this.retryAt = this.clock.getAsLong() + backoff;
			this.current = CompletableFuture.failedFuture(ex);
		}
		// A connection whose SUBSCRIBE was refused is of no use: close it, or each retry adds one.
		connection.thenAccept(StatefulRedisPubSubConnection::closeAsync);
		if (report) {
			this.onFirstFailure.accept(Futures.unwrap(ex));
		}
	}

	synchronized CompletableFuture<Void> closeAsync() {
		this.closed = true;
		CompletableFuture<StatefulRedisPubSubConnection<String, String>> subscription = this.current;
		if (subscription == null) {
			return CompletableFuture.completedFuture(null);
		}
		return subscription.handle((c, ex) -> c)
			.thenCompose((c) -> (c != null) ? c.closeAsync() : CompletableFuture.completedFuture(null));
	}

	@Override
	public String toString() {
		return "NodeSubscription[" + this.nodeName + ", failures " + this.failures + "]";
	}

}
