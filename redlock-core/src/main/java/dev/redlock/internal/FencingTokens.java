package dev.redlock.internal;

import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import dev.redlock.LockExtensionException;
import dev.redlock.NodeVote.Vote;
import dev.redlock.RedlockException;

/**
 * A lock's fencing tokens, one per resource, obtained the first time one is asked for, so a
 * lock whose holder never asks costs no command more. Two rounds, each sent only to the
 * nodes, and applied only where the node still holds the lock's token:
 * <ol>
 * <li>read: each node raises its counter to max(counter + 1, its {@code TIME} in
 * microseconds) and returns it; a quorum must answer, and the token is the largest value
 * returned;</li>
 * <li>write-back: each node raises its counter to at least the token; a quorum must confirm
 * before the token is handed out.</li>
 * </ol>
 * Any later holder's read quorum meets the write-back quorum on at least one node, where the
 * later holder's lock came after this one's, so its read is above this token. Once obtained,
 * the tokens stay the same for the life of the lock object; a failure is not remembered, and
 * the next call tries again.
 */
final class FencingTokens {

	private final AtomicReference<CompletableFuture<long[]>> tokens = new AtomicReference<>();

	private final RedlockLock lock;

	private final LockContext context;

	FencingTokens(RedlockLock lock, LockContext context) {
		this.lock = lock;
		this.context = context;
	}

	/** The token of {@code resource} if it was obtained already; never asks the nodes. */
	OptionalLong known(String resource) {
		int index = this.lock.resources().indexOf(resource);
		CompletableFuture<long[]> current = this.tokens.get();
		return (index >= 0 && current != null && current.isDone() && !current.isCompletedExceptionally())
				? OptionalLong.of(current.join()[index]) : OptionalLong.empty();
	}

	/** The token of the lock's only resource. */
	CompletableFuture<Long> ofOnlyResource() {
		List<String> resources = this.lock.resources();
		if (resources.size() != 1) {
			throw new IllegalStateException("This lock holds " + resources.size() + " resources " + resources
					+ ": ask fencingToken(resource) for the token of one of them");
		}
		return of(resources.get(0));
	}

	/** The token of {@code resource}, completing on an I/O thread. */
	CompletableFuture<Long> of(String resource) {
		int index = this.lock.resources().indexOf(resource);
		if (index < 0) {
			return CompletableFuture.failedFuture(new IllegalArgumentException(
					"'" + resource + "' is not a resource of this lock; it holds " + this.lock.resources()));
		}
		RedlockException closed = this.context.closedFailure("get the fencing token of '" + resource + "'");
		if (closed != null) {
			return CompletableFuture.failedFuture(closed);
		}
		return get(this.lock, this.context, this.lock.keys(), this.lock.value()).thenApply((tokens) -> tokens[index]);
	}

	/** The tokens, in the order of the lock's resources. */
	private CompletableFuture<long[]> get(RedlockLock lock, LockContext context, String[] keys, String token) {
		CompletableFuture<long[]> current = this.tokens.get();
		if (current != null) {
			return current;
		}
		CompletableFuture<long[]> mine = new CompletableFuture<>();
		if (!this.tokens.compareAndSet(null, mine)) {
			return this.tokens.get();
		}
		mine.whenComplete((result, ex) -> {
			if (ex != null) {
				this.tokens.compareAndSet(mine, null);
			}
		});
		if (!lock.isHeld()) {
			mine.completeExceptionally(new LockExtensionException("Cannot give a fencing token for the lock on "
					+ lock.resources() + ": it is no longer held", lock.resources(), List.of()));
			return mine;
		}
		String[] fenceKeys = FenceKeys.of(keys);
		long[] max = new long[keys.length];
		Tally reads = context.rounds().fenceRead(keys, fenceKeys, token, max, lock.lastReplies());
		lock.lastReplies(reads.replies());
		reads.decided().thenCompose((read) -> {
			check(read, "raise", lock, context);
			long[] chosen;
			synchronized (max) {
				chosen = max.clone();
			}
			Tally writes = context.rounds().fenceWrite(keys, fenceKeys, token, chosen, read.replies());
			lock.lastReplies(writes.replies());
			return writes.decided().thenApply((written) -> {
				check(written, "write back", lock, context);
				return chosen;
			});
		}).whenComplete((result, ex) -> {
			if (ex != null) {
				mine.completeExceptionally(Futures.unwrap(ex));
			}
			else {
				mine.complete(result);
			}
		});
		return mine;
	}

	/** Throws unless a quorum did it; marks the lock lost if a quorum no longer holds it. */
	private static void check(Tally tally, String what, RedlockLock lock, LockContext context) {
		if (tally.hasQuorum()) {
			return;
		}
		String message = "Could not get a fencing token for the lock on " + lock.resources() + ": " + tally.count(Vote.GRANTED)
				+ " of " + context.nodeCount() + " nodes could " + what + " its counters, " + context.quorum() + " needed";
		if (tally.count(Vote.REFUSED) > context.nodeCount() - context.quorum()) {
			LockExtensionException lost = new LockExtensionException(message + "; the nodes no longer hold the lock: "
					+ tally.votes(), lock.resources(), tally.votes());
			lock.markLost(lost);
			throw lost;
		}
		throw new RedlockException(message + " (too few nodes answered; try again): " + tally.votes());
	}

}
