package dev.redlock.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;


/**
 * One key's waiters in one Redlock, oldest first, with the channels they listen on: the key's
 * channel, shared by the waiters outside {@linkplain WaitingLines waiting lines}, and this
 * Redlock's own for the key, on which the nodes tell its line waiters alone that the key is
 * reserved for one of them. Subscribed
 * and unsubscribed by {@link ReleaseNotifications} under the map's lock for the key, so an
 * unsubscribe is issued before any later subscribe of the same channel, and each node applies
 * them in that order; the waiters and the release tally are guarded by this object's monitor.
 */
final class KeyWaiters {

	private static final ReleaseWaiter[] NONE = {};

	/**
	 * What one message does: tells the waiter it names that the node reserved the key for it,
	 * wakes a line's head by name, and why, then the first of the others that still waits.
	 */
	record Wakes(ReleaseWaiter reservedFor, ReleaseWaiter named, ReleaseNotifications.Wake why, ReleaseWaiter[] others) {

	}

	private final Deque<ReleaseWaiter> waiters = new ArrayDeque<>();

	private final ReleaseHeard heard = new ReleaseHeard();

	/** The key channel's subscription; {@code null} while no waiter outside a line waits. */
	private volatile CompletableFuture<Long> keyChannel;

	/** This Redlock's own channel for the key, on which the nodes tell its line waiters; {@code null} until one waits. */
	private volatile OwnChannel ownChannel;

	private record OwnChannel(String name, CompletableFuture<Long> since) {

	}

	synchronized void add(ReleaseWaiter waiter) {
		this.waiters.addLast(waiter);
	}

	/** Removes a waiter; returns whether none is left. */
	synchronized boolean remove(ReleaseWaiter waiter) {
		this.waiters.remove(waiter);
		return this.waiters.isEmpty();
	}

	synchronized boolean isEmpty() {
		return this.waiters.isEmpty();
	}

	/** Unsubscribes the key channel, if subscribed. */
	void unsubscribeKeyChannel(Nodes nodes, String channel) {
		if (this.keyChannel != null && nodes != null) {
			nodes.all().forEach((node) -> node.unsubscribe(channel));
		}
		this.keyChannel = null;
	}

	/** Unsubscribes this Redlock's own channel for the key, if subscribed. */
	void unsubscribeOwnChannel(Nodes nodes) {
		OwnChannel own = this.ownChannel;
		if (own != null && nodes != null) {
			nodes.all().forEach((node) -> node.unsubscribe(own.name()));
		}
		this.ownChannel = null;
	}

	/** Listens on the key channel, unless subscribed, subscribing, or only failed so far. */
	CompletableFuture<Long> listenOnKeyChannel(Nodes nodes, String channel, String key) {
		CompletableFuture<Long> current = this.keyChannel;
		if (current == null || current.isCompletedExceptionally()) {
			current = subscribe(nodes, channel, key);
			this.keyChannel = current;
		}
		return current;
	}

	/** Listens on this Redlock's own channel for the key, unless subscribed, subscribing, or only failed so far. */
	CompletableFuture<Long> listenOnOwnChannel(Nodes nodes, String channel, String key) {
		OwnChannel current = this.ownChannel;
		if (current == null || current.since().isCompletedExceptionally()) {
			current = new OwnChannel(channel, subscribe(nodes, channel, key));
			this.ownChannel = current;
		}
		return current.since();
	}

	boolean listensOnKeyChannel() {
		return this.keyChannel != null;
	}

	boolean listensOnOwnChannel() {
		return this.ownChannel != null;
	}

	/** Whether a quorum confirmed the subscription to this Redlock's own channel for the key. */
	boolean hearsOwnChannel() {
		OwnChannel own = this.ownChannel;
		return own != null && own.since().isDone() && !own.since().isCompletedExceptionally();
	}

	/**
	 * Takes in a release told by {@code node} (-1 for this Redlock's own, decided by a
	 * quorum), reserved for {@code head} or free ({@code null}), and says whom it wakes: the
	 * head by name once it may go, and on a free release the longest-waiting waiter, but on
	 * this Redlock's own release only a waiter outside the lines (the nodes tell whom they
	 * reserved the key for).
	 */
	synchronized Wakes onRelease(String token, String head, int node, int quorum, int nodes, int designated,
			boolean designatedDown) {
		this.heard.told(token, head, node);
		ReleaseWaiter reservedFor = (head != null && node >= 0) ? find(head) : null;
		ReleaseHeard.HeadWake headWake = this.heard.headToWake(quorum, designated, designatedDown, (id) -> find(id) != null);
		ReleaseWaiter named = (headWake != null) ? find(headWake.head()) : null;
		ReleaseNotifications.Wake why = (headWake == null) ? null
				: headWake.byQuorum() ? ReleaseNotifications.Wake.RESERVED_BY_A_QUORUM
						: ReleaseNotifications.Wake.RESERVED_BY_THE_DESIGNATED_NODE;
		if (head != null || !this.heard.freeWakes(node < 0, quorum, nodes, designated, designatedDown)) {
			return new Wakes(reservedFor, named, why, NONE);
		}
		ReleaseWaiter[] others = this.waiters.stream().filter((w) -> w != named && (node >= 0 || w.lineId() == null))
			.toArray(ReleaseWaiter[]::new);
		return new Wakes(reservedFor, named, why, others);
	}

	private ReleaseWaiter find(String lineId) {
		for (ReleaseWaiter waiter : this.waiters) {
			if (lineId.equals(waiter.lineId())) {
				return waiter;
			}
		}
		return null;
	}

	/** Subscribes on every node; completes when a quorum confirmed, fails when a quorum cannot. */
	private static CompletableFuture<Long> subscribe(Nodes nodes, String channel, String key) {
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
		return since;
	}

}
