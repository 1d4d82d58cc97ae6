package dev.redlock.internal;

import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Wakes waiting acquisitions when a lock they wait for is released, so a handoff costs about
 * one round trip instead of a retry delay. A release script publishes "token key" on the
 * key's own channel ({@code <prefix>:<key>}, or on a cluster with sharded Pub/Sub the key's
 * shard channel, see {@link ShardChannels}); a Redlock subscribes to that channel on every
 * node while one of its acquisitions waits for the key, and unsubscribes when none does. A
 * release thus reaches only the processes that wait for its key: one channel for every key
 * would deliver each release to every waiting process, whatever it waits for.
 *
 * <p>
 * A subscription completes after the attempt that found the key held, so a release in
 * between is not heard: the acquisition then peeks at the key once subscribed (see
 * {@link #listen}). Every node publishes the same release. A waiter is woken once a quorum
 * of nodes has told of it, not on the first message: the nodes release independently, and a
 * waiter woken by the fastest one would meet the key still set on the others, split the
 * vote, and lose the attempt. Only the longest-waiting local waiter of a key is woken: the
 * others would only lose the race to it. Waiters keep their fallback polling, so a lost
 * message or a down subscription costs a retry delay, never a missed lock.
 */
final class ReleaseNotifications {

	/** Something waiting for a key to be released. */
	interface Waiter {

		/** Wakes the waiter; false if it no longer waits, so the next one is woken instead. */
		boolean wake();

	}

	private static final Waiter[] EMPTY = {};

	private final boolean enabled;

	private final String prefix;

	private final ConcurrentMap<String, Queue> queues = new ConcurrentHashMap<>();

	private volatile Nodes nodes;

	/** Nodes whose last vote failed: a down designated node must not hold wake-ups back. */
	private volatile AtomicIntegerArray failing = new AtomicIntegerArray(0);

	/** @param prefix the channels' prefix; a key's channel is {@code prefix:key} */
	ReleaseNotifications(boolean enabled, String prefix) {
		this.enabled = enabled;
		this.prefix = prefix;
	}

	/** The nodes to subscribe to; they are built after this, since they deliver its messages. */
	void listenTo(Nodes nodes) {
		this.failing = new AtomicIntegerArray(nodes.size());
		this.nodes = nodes;
	}

	/** The channel prefix a release publishes under (the script appends ":key"), or '' for none. */
	String channel() {
		return this.enabled ? this.prefix : "";
	}

	/** The channel of one key's releases. */
	static String channelOf(String prefix, String key) {
		return prefix + ":" + key;
	}

	/**
	 * Makes sure this Redlock hears the keys' releases: subscribes to each key's channel on
	 * every node unless subscribed already, or again where a subscription failed. The keys
	 * must be registered by a waiter.
	 * @return completes with the {@link System#nanoTime()} from which a quorum of nodes has
	 * carried every key's releases to this Redlock, or fails if that cannot be had now
	 */
	CompletableFuture<Long> listen(String[] keys) {
		Nodes listened = this.nodes;
		if (!this.enabled || listened == null) {
			return CompletableFuture.failedFuture(new IllegalStateException("release notifications are off"));
		}
		CompletableFuture<?>[] subscribed = new CompletableFuture<?>[keys.length];
		for (int i = 0; i < keys.length; i++) {
			Queue queue = this.queues.computeIfPresent(keys[i], (key, q) -> {
				q.subscribe(listened, channelOf(this.prefix, key), key);
				return q;
			});
			subscribed[i] = (queue != null) ? queue.subscription
					: CompletableFuture.failedFuture(new IllegalStateException("no waiter for " + keys[i]));
		}
		if (subscribed.length == 1) {
			@SuppressWarnings("unchecked")
			CompletableFuture<Long> one = (CompletableFuture<Long>) subscribed[0];
			return one;
		}
		return CompletableFuture.allOf(subscribed).thenApply((ignored) -> {
			long latest = Long.MIN_VALUE;
			for (CompletableFuture<?> since : subscribed) {
				long at = (Long) since.join();
				latest = (latest == Long.MIN_VALUE || at - latest > 0) ? at : latest;
			}
			return latest;
		});
	}

	/** Adds a waiter for the keys; it hears this Redlock's own releases at once. */
	void register(Waiter waiter, String[] keys) {
		if (!this.enabled) {
			return;
		}
		for (String key : keys) {
			this.queues.compute(key, (k, queue) -> {
				Queue q = (queue != null) ? queue : new Queue();
				synchronized (q) {
					q.waiters.addLast(waiter);
				}
				return q;
			});
		}
	}

	/** Removes a waiter; the last one of a key unsubscribes from its channel. */
	void unregister(Waiter waiter, String[] keys) {
		if (!this.enabled) {
			return;
		}
		Nodes listened = this.nodes;
		for (String key : keys) {
			this.queues.computeIfPresent(key, (k, queue) -> {
				synchronized (queue) {
					queue.waiters.remove(waiter);
					if (!queue.waiters.isEmpty()) {
						return queue;
					}
				}
				// Under the map's lock for the key: an unsubscribe is issued before any later
				// subscribe of the same channel, and each node applies them in that order.
				if (queue.subscription != null && listened != null) {
					for (RedisNode node : listened.all()) {
						node.unsubscribe(channelOf(this.prefix, k));
					}
				}
				return null;
			});
		}
	}

	/** What an attempt saw of a node: whether its vote failed. */
	void voted(int node, boolean failed) {
		AtomicIntegerArray current = this.failing;
		if (node < current.length()) {
			current.set(node, failed ? 1 : 0);
		}
	}

	/** Subscribed keys, for tests and diagnostics. */
	int subscribedKeys() {
		return (int) this.queues.values().stream().filter((q) -> q.subscription != null).count();
	}

	/**
	 * A release by this Redlock, decided by a quorum: wake local waiters now rather than after
	 * the messages' round trip.
	 */
	void released(String token, String[] keys) {
		for (String key : keys) {
			wakeOne(key, token, -1);
		}
	}

	/** A message "token key" published by node {@code node}. */
	void onMessage(int node, String message) {
		int space = message.indexOf(' ');
		if (space > 0) {
			wakeOne(message.substring(space + 1), message.substring(0, space), node);
		}
	}

	/** @param node the node that told of the release, or -1 for a release decided here */
	private void wakeOne(String key, String token, int node) {
		Waiter[] candidates = EMPTY;
		Queue queue = this.queues.get(key);
		Nodes listened = this.nodes;
		int quorum = (listened != null) ? listened.quorum() : 1;
		if (queue != null) {
			// Copied under the key's lock, woken outside it: a woken waiter may start an
			// attempt at once, and that must not re-enter the map.
			synchronized (queue) {
				int designated = (listened != null) ? SplitRule.designated(new String[] { key }, listened.size()) : 0;
				boolean designatedDown = designated < this.failing.length() && this.failing.get(designated) != 0;
				if (queue.heard(token, node, quorum, listened != null ? listened.size() : 1, designated, designatedDown)) {
					candidates = queue.waiters.toArray(EMPTY);
				}
			}
		}
		for (Waiter waiter : candidates) {
			if (waiter.wake()) {
				return;
			}
		}
	}

	/** The waiters of one key, oldest first; guarded by its own monitor. */
	private static final class Queue {

		private final Deque<Waiter> waiters = new ArrayDeque<>();

		/** The last release heard of, and from which nodes; releases of one key follow each other. */
		private String token;

		private final BitSet nodes = new BitSet();

		private boolean woken;

		/** Completes with when a quorum of nodes carried the key's channel; set on the first wait. */
		private volatile CompletableFuture<Long> subscription;

		/** Subscribes on every node unless subscribed, subscribing, or only failed so far. */
		void subscribe(Nodes nodes, String channel, String key) {
			CompletableFuture<Long> current = this.subscription;
			if (current != null && !current.isCompletedExceptionally()) {
				return;
			}
			List<RedisNode> all = nodes.all();
			int quorum = nodes.quorum();
			CompletableFuture<Long> since = new CompletableFuture<>();
			AtomicInteger confirmed = new AtomicInteger();
			AtomicInteger failed = new AtomicInteger();
			for (RedisNode node : all) {
				node.subscribe(channel, key).whenComplete((ok, ex) -> {
					if (ex == null) {
						if (confirmed.incrementAndGet() == quorum) {
							since.complete(System.nanoTime());
						}
					}
					else if (failed.incrementAndGet() == all.size() - quorum + 1) {
						since.completeExceptionally(ex);
					}
				});
			}
			this.subscription = since;
		}

		/** Whether this message completes a quorum for its release, the first time it does. */
		boolean heard(String releasedToken, int node, int quorum, int nodes, int designated, boolean designatedDown) {
			if (!releasedToken.equals(this.token)) {
				this.token = releasedToken;
				this.nodes.clear();
				this.woken = false;
			}
			if (node >= 0) {
				this.nodes.set(node);
			}
			int heard = this.nodes.cardinality();
			// A quorum, and the key's designated node among it: woken before that node let the
			// key go, every waiter would be refused there, and nobody could keep a split.
			if (this.woken || (node >= 0 && (heard < quorum
					|| !(this.nodes.get(designated) || designatedDown || heard == nodes)))) {
				return false;
			}
			this.woken = true;
			return true;
		}

	}

}
