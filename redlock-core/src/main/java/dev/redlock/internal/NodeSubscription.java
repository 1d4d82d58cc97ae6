package dev.redlock.internal;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
 */
final class NodeSubscription {

	private static final long FIRST_BACKOFF_NANOS = 10_000_000L;

	private final String nodeName;

	private final Supplier<CompletionStage<? extends StatefulRedisPubSubConnection<String, String>>> connector;

	private final Consumer<String> onMessage;

	private final Consumer<Throwable> onFirstFailure;

	private final long maxBackoffNanos;

	private final LongSupplier clock;

	/** The channels wanted now; subscribed once connected, and again after a failure. */
	private final Set<String> wanted = new HashSet<>();

	private CompletableFuture<StatefulRedisPubSubConnection<String, String>> current;

	private int failures;

	private long retryAt;

	private boolean closed;

	/** @param connector opens a new Pub/Sub connection to the node */
	NodeSubscription(String nodeName, Supplier<CompletionStage<? extends StatefulRedisPubSubConnection<String, String>>> connector,
			Consumer<String> onMessage, Consumer<Throwable> onFirstFailure, long maxBackoffNanos, LongSupplier clock) {
		this.nodeName = nodeName;
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
	synchronized CompletableFuture<Void> subscribe(String channel) {
		if (this.closed) {
			return CompletableFuture.failedFuture(new RedlockException("closed"));
		}
		this.wanted.add(channel);
		CompletableFuture<StatefulRedisPubSubConnection<String, String>> connection = connection();
		if (connection == null) {
			return CompletableFuture.failedFuture(new RedlockException(this.nodeName + ": subscriptions back off after a failure"));
		}
		if (connection.isDone() && !connection.isCompletedExceptionally()) {
			return issue(connection, connection.join(), channel);
		}
		return connection.thenCompose((pubSub) -> {
			synchronized (this) {
				// Every channel wanted now, in one command: a new connection after a failure
				// must hear the channels of the waiters that were waiting before it, too.
				return this.wanted.isEmpty() ? CompletableFuture.completedFuture(null)
						: issue(connection, pubSub, this.wanted.toArray(String[]::new));
			}
		});
	}

	/** Stops hearing {@code channel}; nothing to wait for. */
	synchronized void unsubscribe(String channel) {
		this.wanted.remove(channel);
		CompletableFuture<StatefulRedisPubSubConnection<String, String>> connection = this.current;
		if (connection != null && connection.isDone() && !connection.isCompletedExceptionally()) {
			connection.join().async().unsubscribe(channel);
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
				pubSub.addListener(new RedisPubSubAdapter<>() {
					@Override
					public void message(String ch, String message) {
						NodeSubscription.this.onMessage.accept(message);
					}
				});
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
		CompletableFuture<Void> subscribed = pubSub.async().subscribe(channels).toCompletableFuture();
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
