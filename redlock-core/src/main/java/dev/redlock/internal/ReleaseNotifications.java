package dev.redlock.internal;

import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Wakes waiting acquisitions when a lock they wait for is released, so a handoff costs about
 * one round trip instead of a retry delay. Every release script publishes "token key" on one
 * channel; each Redlock subscribes once per node, lazily, when an acquisition first has to
 * wait. Not before: a subscribed Redlock receives every release on the channel, its own
 * included, and a Redlock that never waits would pay a message per node for each of its
 * releases for nothing.
 *
 * <p>
 * Every node publishes the same release. A waiter is woken once a quorum of nodes has told
 * of it, not on the first message: the nodes release independently, and a waiter woken by
 * the fastest one would meet the key still set on the others, split the vote, and lose the
 * attempt. Only the longest-waiting local waiter of a key is woken: the others would only
 * lose the race to it. Waiters keep their fallback polling, so a lost message or a down
 * subscription costs a retry delay, never a missed lock.
 */
final class ReleaseNotifications {

	/** Something waiting for a key to be released. */
	interface Waiter {

		/** Wakes the waiter; false if it no longer waits, so the next one is woken instead. */
		boolean wake();

	}

	private static final Waiter[] EMPTY = {};

	private final boolean enabled;

	private final String channel;

	private final ConcurrentMap<String, Queue> queues = new ConcurrentHashMap<>();

	private volatile Nodes nodes;

	ReleaseNotifications(boolean enabled, String channel) {
		this.enabled = enabled;
		this.channel = channel;
	}

	/** The nodes to subscribe to; they are built after this, since they deliver its messages. */
	void listenTo(Nodes nodes) {
		this.nodes = nodes;
	}

	/** The channel a release publishes on, or '' for none. */
	String channel() {
		return this.enabled ? this.channel : "";
	}

	/**
	 * Makes sure this Redlock hears releases, subscribing on every node where it does not
	 * yet, or where a subscription failed. Cheap once subscribed.
	 */
	void listen() {
		Nodes listened = this.nodes;
		if (!this.enabled || listened == null) {
			return;
		}
		for (RedisNode node : listened.all()) {
			node.subscribe(this.channel);
		}
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

	void unregister(Waiter waiter, String[] keys) {
		if (!this.enabled) {
			return;
		}
		for (String key : keys) {
			this.queues.computeIfPresent(key, (k, queue) -> {
				synchronized (queue) {
					queue.waiters.remove(waiter);
					return queue.waiters.isEmpty() ? null : queue;
				}
			});
		}
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
				if (queue.heard(token, node, quorum)) {
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

		/** Whether this message completes a quorum for its release, the first time it does. */
		boolean heard(String releasedToken, int node, int quorum) {
			if (!releasedToken.equals(this.token)) {
				this.token = releasedToken;
				this.nodes.clear();
				this.woken = false;
			}
			if (node >= 0) {
				this.nodes.set(node);
			}
			if (this.woken || (node >= 0 && this.nodes.cardinality() < quorum)) {
				return false;
			}
			this.woken = true;
			return true;
		}

	}

}
