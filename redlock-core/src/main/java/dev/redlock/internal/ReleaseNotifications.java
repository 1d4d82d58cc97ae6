package dev.redlock.internal;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicIntegerArray;

import dev.redlock.NodeVote;
import dev.redlock.NodeVote.Vote;
import dev.redlock.RedlockException;

/**
 * Wakes waiting acquisitions when a lock they wait for is released, so a handoff costs about
 * one round trip instead of a retry delay. A release script publishes on the key's channel
 * ({@code <prefix>:<key>}, or on a cluster with sharded Pub/Sub the key's shard channel, see
 * {@link ShardChannels}) when it frees the key, and on the channel of the Redlock whose waiter
 * heads the key's {@linkplain WaitingLines waiting line} ({@code <prefix>:<key>@<redlock id>})
 * when it reserves the key for that waiter. A Redlock subscribes to a channel on every node
 * while one of its acquisitions listens on it, and unsubscribes when none does (its own
 * channel for a key a little later): single-resource waiters on its own channel, the others
 * on the key's. A release thus reaches only the process that is next in line, or, without a
 * line, the processes that wait for its key.
 *
 * <p>
 * A subscription completes after the attempt that found the key held, so a release in
 * between is not heard: the acquisition then enters the line, or peeks at the key, once
 * subscribed (see {@link #listen}). Every node publishes the same release; {@link ReleaseHeard}
 * decides when it may wake whom. Of a free release, only the longest-waiting local waiter of
 * a key is woken: the others would only lose the race to it. Waiters keep their fallback
 * polling, so a lost message or a down subscription costs a retry delay, never a missed lock.
 */
final class ReleaseNotifications {

	/** Why a waiter is woken. */
	enum Wake {

		/** A quorum of nodes released the key, or this Redlock did. */
		RELEASED,

		/**
		 * The key's designated node reserved the key for this waiter, the head of its line; the
		 * other nodes have not said so yet: they may not have let the key go yet, or their
		 * lines may have another head.
		 */
		RESERVED_BY_THE_DESIGNATED_NODE,

		/** A quorum of nodes reserved the key for this waiter, the head of its line. */
		RESERVED_BY_A_QUORUM

	}

	private final boolean enabled;

	private final String prefix;

	private final ConcurrentMap<String, KeyWaiters> queues = new ConcurrentHashMap<>();

	/** How long a key's own channel stays subscribed after its last line waiter left. */
	static final long LINGER_NANOS = 2_000_000_000L;

	private volatile Nodes nodes;

	private volatile Timers timers;

	private final String redlockId = HexFormat.of().formatHex(ByteBuffer.allocate(8).putLong(ThreadLocalRandom.current().nextLong()).array());

	private final AtomicLong lineIds = new AtomicLong();

	/** Nodes whose last vote failed: a down designated node must not hold wake-ups back. */
	private volatile AtomicIntegerArray failing = new AtomicIntegerArray(0);

	/** @param prefix the channels' prefix; a key's channel is {@code prefix:key} */
	ReleaseNotifications(boolean enabled, String prefix) {
		this.enabled = enabled;
		this.prefix = prefix;
	}

	/**
	 * The nodes to subscribe to; they are built after this, since they deliver its messages.
	 * @param timers for the lingering of own channels
	 */
	void listenTo(Nodes nodes, Timers timers) {
		this.failing = new AtomicIntegerArray(nodes.size());
		this.timers = timers;
		this.nodes = nodes;
	}

	/**
	 * A new id for a waiter in a line: this Redlock's id, a dot, then a number of its own. The
	 * nodes tell the head on this Redlock's own channel for the key, named by what comes
	 * before the dot.
	 */
	String nextLineId() {
		return this.redlockId + "." + Long.toString(this.lineIds.incrementAndGet(), 36);
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
	 * The channel on which the nodes tell the line waiters of the Redlock {@code redlockId} that
	 * the key is reserved for one of them.
	 */
	static String channelOf(String prefix, String key, String redlockId) {
		return channelOf(prefix, key) + "@" + redlockId;
	}

	/**
	 * Makes sure this Redlock hears the keys' releases for {@code waiter}: subscribes to the
	 * waiter's own channel on every node if it waits in line ({@code lineId}, a single key),
	 * otherwise to each key's channel, unless subscribed already, or again where a subscription
	 * failed. The waiter must be registered.
	 * @return completes with the {@link System#nanoTime()} from which a quorum of nodes has
	 * carried every key's releases to this Redlock, or fails if that cannot be had now
	 */
	CompletableFuture<Long> listen(ReleaseWaiter waiter, String[] keys, String lineId) {
		Nodes listened = this.nodes;
		if (!this.enabled || listened == null) {
			return CompletableFuture.failedFuture(new IllegalStateException("release notifications are off"));
		}
		CompletableFuture<?>[] subscribed = new CompletableFuture<?>[keys.length];
		for (int i = 0; i < keys.length; i++) {
			CompletableFuture<?>[] since = new CompletableFuture<?>[1];
			this.queues.computeIfPresent(keys[i], (key, waiters) -> {
				since[0] = (lineId != null && keys.length == 1)
						? waiters.listenOnOwnChannel(listened, channelOf(this.prefix, key, this.redlockId), key)
						: waiters.listenOnKeyChannel(listened, channelOf(this.prefix, key), key);
				return waiters;
			});
			subscribed[i] = (since[0] != null) ? since[0]
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

	/**
	 * Whether this Redlock hears, now, the releases that the nodes address to its line waiters
	 * for {@code key}: another of its acquisitions waits for the key, or did a moment ago.
	 */
	boolean hearsOwnChannel(String key) {
		KeyWaiters waiters = this.enabled ? this.queues.get(key) : null;
		return waiters != null && waiters.hearsOwnChannel();
	}

	/** Adds a waiter for the keys; it hears this Redlock's own releases at once. */
	void register(ReleaseWaiter waiter, String[] keys) {
		if (!this.enabled) {
			return;
		}
		for (String key : keys) {
			this.queues.compute(key, (k, waiters) -> {
				KeyWaiters w = (waiters != null) ? waiters : new KeyWaiters();
				w.add(waiter);
				return w;
			});
		}
	}

	/**
	 * Removes a waiter. The last one of a key unsubscribes from the key's channel, and from
	 * this Redlock's own channel for the key {@value #LINGER_NANOS} ns later, unless another
	 * waiter came meanwhile: a key contended again and again costs no subscription per wait.
	 */
	void unregister(ReleaseWaiter waiter, String[] keys) {
		if (!this.enabled) {
			return;
		}
		Nodes listened = this.nodes;
		for (String key : keys) {
			this.queues.computeIfPresent(key, (k, waiters) -> {
				if (!waiters.remove(waiter)) {
					return waiters;
				}
				waiters.unsubscribeKeyChannel(listened, channelOf(this.prefix, k));
				if (!waiters.listensOnOwnChannel() || !lingerThenUnsubscribe(k, waiters)) {
					waiters.unsubscribeOwnChannel(listened);
					return null;
				}
				return waiters;
			});
		}
	}

	/** Schedules the end of an idle key's own channel; false if the Redlock is closed. */
	private boolean lingerThenUnsubscribe(String key, KeyWaiters idle) {
		try {
			this.timers.schedule(() -> this.queues.computeIfPresent(key, (k, waiters) -> {
				if (waiters != idle || !waiters.isEmpty()) {
					return waiters;
				}
				waiters.unsubscribeOwnChannel(this.nodes);
				return null;
			}), LINGER_NANOS);
			return true;
		}
		catch (RedlockException closed) {
			return false;
		}
	}

	/**
	 * Which nodes failed an attempt's round: a wake-up waits for a quorum of nodes to tell of a
	 * release, and a node that is down must not hold it back.
	 */
	void voted(List<NodeVote> votes) {
		AtomicIntegerArray current = this.failing;
		for (int i = 0; i < votes.size() && i < current.length(); i++) {
			if (votes.get(i).vote() != Vote.NOT_ASKED) {
				current.set(i, (votes.get(i).vote() == Vote.FAILED) ? 1 : 0);
			}
		}
	}

	/** Subscribed keys, for tests and diagnostics. */
	int subscribedKeys() {
		return (int) this.queues.values().stream().filter(KeyWaiters::listensOnKeyChannel).count();
	}

	/**
	 * A release by this Redlock, decided by a quorum: wake local waiters now rather than after
	 * the messages' round trip. Waiters in a line are left to the nodes' messages, which say
	 * whom the key was reserved for.
	 */
	void released(String token, String[] keys) {
		for (String key : keys) {
			wake(key, token, null, -1);
		}
	}

	/** A message "token key" or "token/head key" published by node {@code node}. */
	void onMessage(int node, String message) {
		int space = message.indexOf(' ');
		if (space > 0) {
			String release = message.substring(0, space);
			wake(message.substring(space + 1), WaitingLines.releaseOf(release), WaitingLines.headOf(release), node);
		}
	}

	/**
	 * @param head the line's head the node reserved the key for, or {@code null}
	 * @param node the node that told of the release, or -1 for a release decided here
	 */
	private void wake(String key, String token, String head, int node) {
		KeyWaiters waiters = this.queues.get(key);
		Nodes listened = this.nodes;
		if (waiters == null) {
			return;
		}
		int size = (listened != null) ? listened.size() : 1;
		int designated = SplitRule.designated(new String[] { key }, size);
		boolean designatedDown = designated < this.failing.length() && this.failing.get(designated) != 0;
		// Decided under the key's lock, woken outside it: a woken waiter may start an attempt
		// at once, and that must not re-enter the map.
		KeyWaiters.Wakes wakes = waiters.onRelease(token, head, node, (listened != null) ? listened.quorum() : 1, size,
				designated, designatedDown);
		if (wakes.reservedFor() != null) {
			wakes.reservedFor().reservedBy(node);
		}
		if (wakes.named() != null) {
			wakes.named().wake(wakes.why(), key, token);
		}
		for (ReleaseWaiter waiter : wakes.others()) {
			if (waiter.wake(Wake.RELEASED, key, token)) {
				return;
			}
		}
	}

}
