package dev.redlock.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Consumer;

import dev.redlock.NodeVote;
import dev.redlock.NodeVote.Vote;
import dev.redlock.internal.WaitingLines.Claimed;

/**
 * Sends one lock command to every node in parallel (one round trip, not one per node) and
 * tallies the votes, each node's answer bounded by the command timeout.
 *
 * <p>
 * One rule keeps a lock's commands in order on each node: a command for a lock is sent to a
 * node only once the previous command of that lock on that node has completed (answered,
 * failed or timed out by Lettuce). A release can then never overtake the acquire it undoes,
 * even one that was still connecting, or falling back from EVALSHA to EVAL. Where the
 * previous command is done, as it nearly always is, this costs nothing.
 */
final class Rounds {

	private final Nodes nodes;

	private final Timers timers;

	private final Callbacks callbacks;

	private final long timeoutNanos;

	Rounds(Nodes nodes, Timers timers, Callbacks callbacks, long timeoutNanos) {
		this.nodes = nodes;
		this.timers = timers;
		this.callbacks = callbacks;
		this.timeoutNanos = timeoutNanos;
	}

	/**
	 * Sets the keys on every node.
	 * @param lineId the waiter that asks, once in the key's waiting line: it claims a key
	 * reserved for it (see {@link WaitingLines}); {@code null} for a plain SET
	 * @param named whether the key's designated node or a quorum named this waiter its line's head
	 * @param holders told, by a claim, of each node where a lock held the key
	 */
	Tally acquire(String[] keys, String token, long ttlMillis, String lineId, boolean named, LockHolders holders) {
		return fanOut(Tally.Rule.ON_QUORUM_GRANTED, null,
				(node, i) -> acquireOn(node, i, keys, token, ttlMillis, lineId, named, holders));
	}

	private static CompletableFuture<Boolean> acquireOn(RedisNode node, int index, String[] keys, String token,
			long ttlMillis, String lineId, boolean named, LockHolders holders) {
		if (lineId == null || keys.length != 1) {
			return node.acquire(keys, token, ttlMillis);
		}
		return node.claim(keys[0], token, ttlMillis, lineId, named).thenApply((claimed) -> {
			if (claimed.heldBy() != null) {
				holders.held(index, claimed.heldBy());
			}
			return claimed.set();
		});
	}

	/** The same claim as a named head's, on node {@code index} alone: see {@link HeadClaim}. */
	CompletableFuture<Boolean> claimOn(int index, String key, String token, long ttlMillis, String lineId) {
		return send((node, i) -> node.claim(key, token, ttlMillis, lineId, true).thenApply(Claimed::set),
				this.nodes.all().get(index), index);
	}

	/**
	 * Puts the waiter {@code lineId} in the key's line on every node: a node votes granted when
	 * the key is free there or reserved for this waiter, and tells {@code answered} what it
	 * said. Decided when every node answered or timed out.
	 */
	Tally enterLine(String key, String lineId, long expiryMillis, Consumer<WaitingLines.Entered> answered) {
		return fanOut(Tally.Rule.WHEN_ALL_ANSWERED, null,
				(node, i) -> node.enterLine(key, lineId, expiryMillis).thenApply((entered) -> {
					answered.accept(entered);
					return entered == WaitingLines.Entered.FREE || entered == WaitingLines.Entered.RESERVED_FOR_THIS_WAITER;
				}));
	}

	/**
	 * A first attempt on one key that enters the waiter {@code lineId} in the key's line where
	 * it loses: a node votes granted when it set the key, and tells {@code answered} what it
	 * said.
	 */
	Tally takeOrEnterLine(String key, String token, long ttlMillis, String lineId, long expiryMillis,
			Consumer<WaitingLines.Entered> answered) {
		return fanOut(Tally.Rule.ON_QUORUM_GRANTED, null,
				(node, i) -> node.takeOrEnterLine(key, token, ttlMillis, lineId, expiryMillis).thenApply((entered) -> {
					answered.accept(entered);
					return entered == WaitingLines.Entered.FREE;
				}));
	}

	/** Whether every node refused waiting lines: waiters then listen for free releases instead. */
	boolean linesRefusedEverywhere() {
		return this.nodes.all().stream().noneMatch(RedisNode::keepsLines);
	}

	/** Takes the waiter out of the key's line on node {@code only}, or on every node for -1, without waiting. */
	void leaveLine(String key, String lineId, String channel, int only) {
		List<RedisNode> all = this.nodes.all();
		for (int i = 0; i < all.size(); i++) {
			if (only < 0 || only == i) {
				send((node, index) -> node.leaveLine(key, lineId, channel), all.get(i), i);
			}
		}
	}

	/**
	 * Asks one node only, the key's designated node, and leaves the others
	 * {@linkplain Vote#NOT_ASKED unasked}: how a waiter tries again (see {@link SplitRule}).
	 */
	Tally probe(String[] keys, String token, long ttlMillis, int designated, String lineId, LockHolders holders) {
		List<RedisNode> all = this.nodes.all();
		Tally tally = new Tally(all, this.nodes.quorum(), this.callbacks, System.nanoTime(), Tally.Rule.ON_QUORUM_GRANTED);
		for (int i = 0; i < all.size(); i++) {
			if (i != designated) {
				tally.notAsked(i);
			}
		}
		RedisNode node = all.get(designated);
		tally.sent(designated,
				send((n, i) -> acquireOn(n, i, keys, token, ttlMillis, lineId, false, holders), node, designated));
		tally.startTimer(this.timers, this.timeoutNanos);
		return tally;
	}

	/**
	 * Re-asks, with the same token, the nodes not in {@code kept}, after each node's previous
	 * reply; the kept nodes count as granted. Their validity is the caller's: measured from the
	 * first send of the kept keys, not from this one.
	 */
	Tally reAsk(String[] keys, String token, long ttlMillis, boolean[] kept, CompletableFuture<?>[] after, String lineId,
			boolean named, LockHolders holders) {
		return fanOut(Tally.Rule.ON_QUORUM_GRANTED, after, (node, i) -> kept[i] ? CompletableFuture.completedFuture(true)
				: acquireOn(node, i, keys, token, ttlMillis, lineId, named, holders));
	}

	/**
	 * Whether the keys are free: a node votes granted when none of them exists there. Reads
	 * only, and no attempt: after a late subscription it tells whether a release may have
	 * gone unheard.
	 */
	Tally peek(String[] keys) {
		return fanOut(Tally.Rule.WHEN_CERTAIN, null,
				(node, i) -> node.send((redis) -> redis.exists(keys)).thenApply((count) -> count != null && count == 0));
	}

	Tally extend(String[] keys, String token, long ttlMillis, CompletableFuture<?>[] after) {
		return fanOut(Tally.Rule.WHEN_CERTAIN, after, (node, i) -> node.extend(keys, token, ttlMillis));
	}

	Tally check(String[] keys, String token, CompletableFuture<?>[] after) {
		return fanOut(Tally.Rule.WHEN_CERTAIN, after, (node, i) -> node.check(keys, token));
	}

	/**
	 * Compare-and-delete on every node; {@code channel} is empty for no notification. A node
	 * whose release fails (a dropped connection, a timeout) is retried in the background, after
	 * that failure, until the release lands or the keys have expired: otherwise the key would
	 * stay for its whole ttl, and on a quorum it would lock every other owner out. The retries
	 * publish nothing; waiters poll.
	 * @param keysExpireWithinNanos the longest the keys can still live: the longest ttl the
	 * lock was set or extended with
	 */
	Tally release(String[] keys, String token, String channel, CompletableFuture<?>[] after, long keysExpireWithinNanos) {
		Tally tally = fanOut(Tally.Rule.WHEN_CERTAIN, after, (node, i) -> node.release(keys, token, channel));
		long expiresAt = System.nanoTime() + keysExpireWithinNanos;
		List<RedisNode> all = this.nodes.all();
		for (int i = 0; i < all.size(); i++) {
			RedisNode node = all.get(i);
			tally.replies()[i].whenComplete((released, ex) -> {
				if (ex != null && !node.isSameServerAsAnother()) {
					new Undo(node, keys, token, this.timers, expiresAt).retryLater(ex);
				}
			});
		}
		return tally;
	}

	/**
	 * On every node that still holds the lock, raises its fencing counters and folds them
	 * into {@code max}, element by element; decided once a quorum answered or cannot.
	 */
	Tally fenceRead(String[] keys, String[] fenceKeys, String token, long[] max, CompletableFuture<?>[] after) {
		return fanOut(Tally.Rule.WHEN_CERTAIN, after, (node, i) -> FenceCommands.read(node, keys, fenceKeys, token)
			.thenApply((counters) -> {
				if (counters == null) {
					return false;
				}
				synchronized (max) {
					for (int j = 0; j < max.length; j++) {
						max[j] = Math.max(max[j], counters[j]);
					}
				}
				return true;
			}));
	}

	/** Raises the counters to {@code tokens} on every node that still holds the lock. */
	Tally fenceWrite(String[] keys, String[] fenceKeys, String token, long[] tokens, CompletableFuture<?>[] after) {
		return fanOut(Tally.Rule.WHEN_CERTAIN, after, (node, i) -> FenceCommands.write(node, keys, fenceKeys, token, tokens));
	}

	/** Reads a counter on every node into {@code max}; decided when all answered or timed out. */
	Tally fenceCounter(String fenceKey, long[] max) {
		return fanOut(Tally.Rule.WHEN_ALL_ANSWERED, null, (node, i) -> FenceCommands.get(node, fenceKey).thenApply((value) -> {
			synchronized (max) {
				max[0] = Math.max(max[0], value);
			}
			return true;
		}));
	}

	/** PING to every node; decided when all answered or timed out. */
	Tally ping() {
		return fanOut(Tally.Rule.WHEN_ALL_ANSWERED, null, (node, i) -> node.ping());
	}

	/**
	 * Removes what a failed attempt may have set: on every node that did not refuse, since a
	 * grant, a timeout or an error may each have left a key, or still may. A refusal is final
	 * (the token is new, so nothing else sets it), and a node not asked has nothing to undo.
	 * Each node's release follows that node's acquire, and is retried until it lands or the
	 * key has expired by itself.
	 * @return completes once the nodes that granted are cleared, or timed out: the next
	 * attempt must not meet its own keys there. Nodes that did not answer are not waited for,
	 * or every retry under a partition would cost one more command timeout.
	 */
	CompletableFuture<Void> undo(String[] keys, String token, Tally failed, Lease lease) {
		List<NodeVote> votes = failed.votes();
		CompletableFuture<?>[] granted = new CompletableFuture<?>[votes.size()];
		for (int i = 0; i < votes.size(); i++) {
			if (votes.get(i).vote() == Vote.REFUSED || votes.get(i).vote() == Vote.NOT_ASKED) {
				granted[i] = CompletableFuture.completedFuture(null);
				continue;
			}
			RedisNode node = this.nodes.all().get(i);
			CompletableFuture<Void> cleared = new CompletableFuture<>();
			failed.replies()[i].handle((ok, ex) -> {
				new Undo(node, keys, token, this.timers, System.nanoTime() + lease.ttlNanos()).run(cleared);
				return null;
			});
			granted[i] = (votes.get(i).vote() == Vote.GRANTED) ? cleared : CompletableFuture.completedFuture(null);
		}
		CompletableFuture<Void> all = CompletableFuture.allOf(granted);
		CompletableFuture<Void> bounded = new CompletableFuture<>();
		all.whenComplete((ignored, ex) -> bounded.complete(null));
		try {
			this.timers.timeout(() -> bounded.complete(null), this.timeoutNanos);
		}
		catch (IllegalStateException ex) {
			bounded.complete(null);
		}
		return bounded;
	}

	private Tally fanOut(Tally.Rule rule, CompletableFuture<?>[] after,
			BiFunction<RedisNode, Integer, CompletableFuture<Boolean>> command) {
		List<RedisNode> all = this.nodes.all();
		Tally tally = new Tally(all, this.nodes.quorum(), this.callbacks, System.nanoTime(), rule);
		for (int i = 0; i < all.size(); i++) {
			RedisNode node = all.get(i);
			int index = i;
			CompletableFuture<?> previous = (after != null) ? after[i] : null;
			CompletableFuture<Boolean> reply;
			if (previous == null || previous.isDone()) {
				reply = send(command, node, index);
			}
			else {
				reply = previous.handle((ignored, ex) -> null).thenCompose((ignored) -> send(command, node, index));
			}
			tally.sent(i, reply);
		}
		tally.startTimer(this.timers, this.timeoutNanos);
		return tally;
	}

	private static CompletableFuture<Boolean> send(BiFunction<RedisNode, Integer, CompletableFuture<Boolean>> command,
			RedisNode node, int index) {
		try {
			return command.apply(node, index);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

}
