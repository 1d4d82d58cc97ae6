package dev.redlock.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

import dev.redlock.NodeVote;
import dev.redlock.NodeVote.Vote;
import io.lettuce.core.RedisCommandTimeoutException;
import io.netty.util.Timeout;

/**
 * The votes of one operation sent to every node at once. It completes {@link #decided()}
 * exactly once, on whichever I/O or timer thread settles it, so a caller is woken once per
 * operation rather than once per node: as early as its {@link Rule} allows, when every node
 * answered, or when the per-node timeout ran out. Stragglers still finish in the background; their
 * replies stay in {@link #replies()} so later commands for the same keys can be chained
 * after them.
 */
final class Tally {

	private final List<RedisNode> nodes;

	private final int quorum;

	private final Callbacks callbacks;

	private final long startedAt;

	/** When a round is decided, before every node has answered. */
	enum Rule {

		/** As soon as a quorum granted: an acquisition. A failed one waits for every vote, to report them all. */
		ON_QUORUM_GRANTED,

		/** As soon as the outcome is certain either way: a release, an extension, a check. */
		WHEN_CERTAIN,

		/** Only when every node answered or timed out: a ping. */
		WHEN_ALL_ANSWERED

	}

	private final Rule rule;

	private final AtomicReferenceArray<NodeVote> votes;

	private final CompletableFuture<?>[] replies;

	private final AtomicInteger granted = new AtomicInteger();

	private final AtomicInteger notGranted = new AtomicInteger();

	private final CompletableFuture<Tally> decided = new CompletableFuture<>();

	private volatile long decidedAt;

	private volatile Timeout timeout;

	Tally(List<RedisNode> nodes, int quorum, Callbacks callbacks, long startedAt, Rule rule) {
		this.nodes = nodes;
		this.quorum = quorum;
		this.callbacks = callbacks;
		this.startedAt = startedAt;
		this.rule = rule;
		this.votes = new AtomicReferenceArray<>(nodes.size());
		this.replies = new CompletableFuture<?>[nodes.size()];
	}

	void sent(int node, CompletableFuture<Boolean> reply) {
		this.replies[node] = reply;
		reply.whenComplete((ok, ex) -> record(node, ok, ex));
	}

	/** A node this operation leaves alone; call before anything is sent. */
	void notAsked(int node) {
		this.replies[node] = CompletableFuture.completedFuture(false);
		this.votes.set(node, new NodeVote(this.nodes.get(node).name(), Vote.NOT_ASKED, null));
		this.notGranted.incrementAndGet();
	}

	void startTimer(Timers timers, long timeoutNanos) {
		Timeout started;
		try {
			started = timers.timeout(() -> expire(timeoutNanos), timeoutNanos);
		}
		catch (IllegalStateException ex) {
			// The timer is stopped: the Redlock is closed. Decide now with what is in.
			expire(0);
			return;
		}
		this.timeout = started;
		if (this.decided.isDone()) {
			started.cancel();
		}
	}

	private void record(int node, Boolean ok, Throwable error) {
		String name = this.nodes.get(node).name();
		NodeVote vote;
		if (error != null) {
			Throwable cause = Futures.unwrap(error);
			vote = new NodeVote(name, Vote.FAILED, cause);
			if (!this.votes.compareAndSet(node, null, vote)) {
				return;
			}
			this.callbacks.clientError(name, cause);
		}
		else {
			vote = new NodeVote(name, Boolean.TRUE.equals(ok) ? Vote.GRANTED : Vote.REFUSED, null);
			if (!this.votes.compareAndSet(node, null, vote)) {
				return;
			}
		}
		int grants = (vote.vote() == Vote.GRANTED) ? this.granted.incrementAndGet() : this.granted.get();
		int others = (vote.vote() != Vote.GRANTED) ? this.notGranted.incrementAndGet() : this.notGranted.get();
		boolean early = switch (this.rule) {
			case ON_QUORUM_GRANTED -> grants >= this.quorum;
			case WHEN_CERTAIN -> grants >= this.quorum || others > this.nodes.size() - this.quorum;
			case WHEN_ALL_ANSWERED -> false;
		};
		if (early || grants + others == this.nodes.size()) {
			decide();
		}
	}

	private void expire(long timeoutNanos) {
		for (int i = 0; i < this.votes.length(); i++) {
			String name = this.nodes.get(i).name();
			var error = new RedisCommandTimeoutException("No answer from " + name + " within " + timeoutNanos / 1_000_000 + " ms");
			if (this.votes.compareAndSet(i, null, new NodeVote(name, Vote.FAILED, error))) {
				this.callbacks.clientError(name, error);
			}
		}
		decide();
	}

	private void decide() {
		if (this.decided.isDone()) {
			return;
		}
		this.decidedAt = System.nanoTime();
		Timeout t = this.timeout;
		if (t != null) {
			t.cancel();
		}
		this.decided.complete(this);
	}

	CompletableFuture<Tally> decided() {
		return this.decided;
	}

	boolean hasQuorum() {
		return this.granted.get() >= this.quorum;
	}

	long startedAt() {
		return this.startedAt;
	}

	long decidedAt() {
		return this.decidedAt;
	}

	long elapsedNanos() {
		return this.decidedAt - this.startedAt;
	}

	/** Each node's reply, for chaining the next command on that node after it. */
	CompletableFuture<?>[] replies() {
		return this.replies;
	}

	/** The votes now; a node that has not answered yet counts as failed. */
	List<NodeVote> votes() {
		List<NodeVote> result = new ArrayList<>(this.votes.length());
		for (int i = 0; i < this.votes.length(); i++) {
			NodeVote vote = this.votes.get(i);
			result.add((vote != null) ? vote
					: new NodeVote(this.nodes.get(i).name(), Vote.FAILED, new IllegalStateException("not answered yet when the outcome was certain")));
		}
		return result;
	}

	/** The nodes that granted, by name. */
	List<String> grantedBy() {
		List<String> names = new ArrayList<>();
		for (int i = 0; i < this.votes.length(); i++) {
			NodeVote vote = this.votes.get(i);
			if (vote != null && vote.vote() == Vote.GRANTED) {
				names.add(vote.node());
			}
		}
		return names;
	}

	int count(Vote vote) {
		int count = 0;
		for (int i = 0; i < this.votes.length(); i++) {
			NodeVote v = this.votes.get(i);
			if (v != null && v.vote() == vote) {
				count++;
			}
		}
		return count;
	}

}
