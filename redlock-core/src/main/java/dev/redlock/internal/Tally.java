package dev.redlock.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

import dev.redlock.NodeVote;
import dev.redlock.NodeVote.Vote;
import io.lettuce.core.RedisCommandTimeoutException;
import io.netty.util.Timeout;

/**
 * The votes of one operation sent to every node at once. It completes {@link #decided()}
 * exactly once, on whichever I/O or timer thread settles it, so the waiting caller is woken
 * once per operation rather than once per node: when every node answered, or when the
 * per-node timeout ran out, or, for acquisitions, as soon as a quorum granted: a slow
 * minority must not slow down locking, while a release or an extension is only reported done
 * once every reachable node has it.
 */
final class Tally {

	private final Cluster cluster;

	private final long startedAt;

	private final boolean decideOnQuorum;

	private final AtomicReferenceArray<NodeVote> votes;

	private final AtomicInteger granted = new AtomicInteger();

	private final AtomicInteger answered = new AtomicInteger();

	/** The nodes whose answers are awaited, or {@code null} for all of them. */
	private final boolean[] awaited;

	private final AtomicInteger awaitedLeft;

	private final CompletableFuture<Tally> decided = new CompletableFuture<>();

	private volatile long decidedAt;

	private volatile Timeout timeout;

	Tally(Cluster cluster, long startedAt, boolean decideOnQuorum) {
		this(cluster, startedAt, decideOnQuorum, null);
	}

	/**
	 * @param awaited the nodes whose answers decide the operation once all are in, or
	 * {@code null} for every node; the others are still sent the command, and counted if they
	 * answer in time
	 */
	Tally(Cluster cluster, long startedAt, boolean decideOnQuorum, boolean[] awaited) {
		this.cluster = cluster;
		this.startedAt = startedAt;
		this.decideOnQuorum = decideOnQuorum;
		this.votes = new AtomicReferenceArray<>(cluster.nodes().size());
		this.awaited = awaited;
		int count = 0;
		if (awaited != null) {
			for (boolean node : awaited) {
				count += node ? 1 : 0;
			}
		}
		this.awaitedLeft = new AtomicInteger(count);
		if (awaited != null && count == 0) {
			decide();
		}
	}

	void startTimer(Duration commandTimeout) {
		this.timeout = this.cluster.timer().newTimeout((t) -> expire(commandTimeout), commandTimeout.toNanos(),
				TimeUnit.NANOSECONDS);
		if (this.decided.isDone()) {
			this.timeout.cancel();
		}
	}

	void record(int node, Boolean ok, Throwable error) {
		String name = this.cluster.nodes().get(node).name();
		NodeVote vote;
		if (error != null) {
			Throwable cause = RedisNode.unwrap(error);
			this.cluster.reportClientError(name, cause);
			vote = new NodeVote(name, Vote.FAILED, cause);
		}
		else {
			vote = new NodeVote(name, Boolean.TRUE.equals(ok) ? Vote.GRANTED : Vote.REFUSED, null);
		}
		if (!this.votes.compareAndSet(node, null, vote)) {
			return;
		}
		int grants = (vote.vote() == Vote.GRANTED) ? this.granted.incrementAndGet() : this.granted.get();
		int answers = this.answered.incrementAndGet();
		boolean awaitedAllIn = this.awaited != null && this.awaited[node] && this.awaitedLeft.decrementAndGet() == 0;
		if ((this.decideOnQuorum && grants >= this.cluster.quorum()) || answers == this.votes.length() || awaitedAllIn) {
			decide();
		}
	}

	private void expire(Duration commandTimeout) {
		for (int i = 0; i < this.votes.length(); i++) {
			String name = this.cluster.nodes().get(i).name();
			var error = new RedisCommandTimeoutException("No answer from " + name + " within " + commandTimeout.toMillis() + " ms");
			if (this.votes.compareAndSet(i, null, new NodeVote(name, Vote.FAILED, error))) {
				this.cluster.reportClientError(name, error);
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
		return this.granted.get() >= this.cluster.quorum();
	}

	long startedAt() {
		return this.startedAt;
	}

	long elapsedNanos() {
		return this.decidedAt - this.startedAt;
	}

	/** The votes at the moment of decision; a node that had not answered yet counts as failed. */
	List<NodeVote> votes() {
		List<NodeVote> result = new ArrayList<>(this.votes.length());
		for (int i = 0; i < this.votes.length(); i++) {
			NodeVote vote = this.votes.get(i);
			String name = this.cluster.nodes().get(i).name();
			result.add((vote != null) ? vote
					: new NodeVote(name, Vote.FAILED, new IllegalStateException("no answer before a quorum decided")));
		}
		return result;
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
