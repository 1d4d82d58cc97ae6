package dev.redlock.internal;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

/**
 * One node's Pub/Sub connection for release notifications. Subscribed on demand; Lettuce
 * resubscribes after reconnects. A subscription that fails (the node is down, or an ACL
 * denies the channel) closes its connection, so failures never pile up connections on the
 * node, and the next try waits out a back-off that doubles up to a cap: waiters poll
 * meanwhile. The first failure in a row is reported; the rest only logged.
 */
final class NodeSubscription {

	private static final long FIRST_BACKOFF_NANOS = 10_000_000L;

	private final String nodeName;

	private final RedisClient client;

	private final RedisURI uri;

	private final Consumer<String> onMessage;

	private final Consumer<Throwable> onFirstFailure;

	private final long maxBackoffNanos;

	private final LongSupplier clock;

	private CompletableFuture<StatefulRedisPubSubConnection<String, String>> current;

	private int failures;

	private long retryAt;

	private boolean closed;

	NodeSubscription(String nodeName, RedisClient client, RedisURI uri, Consumer<String> onMessage,
			Consumer<Throwable> onFirstFailure, long maxBackoffNanos, LongSupplier clock) {
		this.nodeName = nodeName;
		this.client = client;
		this.uri = uri;
		this.onMessage = onMessage;
		this.onFirstFailure = onFirstFailure;
		this.maxBackoffNanos = maxBackoffNanos;
		this.clock = clock;
	}

	/**
	 * Makes sure the node's releases on {@code channel} are heard: subscribes unless already
	 * subscribed, subscribing, or backing off after a failure. Cheap when subscribed.
	 */
	synchronized void ensure(String channel) {
		if (this.closed || (this.current != null && !this.current.isCompletedExceptionally())
				|| this.clock.getAsLong() - this.retryAt < 0) {
			return;
		}
		CompletableFuture<StatefulRedisPubSubConnection<String, String>> connecting = this.client
			.connectPubSubAsync(StringCodec.UTF8, this.uri)
			.toCompletableFuture();
		CompletableFuture<StatefulRedisPubSubConnection<String, String>> subscribed = connecting.thenCompose((pubSub) -> {
			pubSub.addListener(new RedisPubSubAdapter<>() {
				@Override
				public void message(String ch, String message) {
					NodeSubscription.this.onMessage.accept(message);
				}
			});
			return pubSub.async().subscribe(channel).toCompletableFuture().thenApply((ignored) -> pubSub);
		});
		this.current = subscribed;
		subscribed.whenComplete((pubSub, ex) -> settled(subscribed, connecting, ex));
	}

	private void settled(CompletableFuture<?> attempt, CompletableFuture<StatefulRedisPubSubConnection<String, String>> connecting,
			Throwable ex) {
		boolean report;
		synchronized (this) {
			if (ex == null) {
				this.failures = 0;
				return;
			}
			report = this.failures == 0 && !this.closed;
			long backoff = Math.min(FIRST_BACKOFF_NANOS << Math.min(this.failures, 30), this.maxBackoffNanos);
			this.failures++;
			this.retryAt = this.clock.getAsLong() + backoff;
		}
		// A connection whose SUBSCRIBE was refused is of no use: close it, or each retry adds one.
		connecting.thenAccept(StatefulRedisPubSubConnection::closeAsync);
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
