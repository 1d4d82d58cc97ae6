package dev.redlock.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import dev.redlock.Lock;
import dev.redlock.LockExtensionException;
import dev.redlock.NodeVote.Vote;
import dev.redlock.RedlockException;

/**
 * What a held lock asks the nodes while it is held: extensions, which move its validity on,
 * and checks, which ask whether a quorum still holds its token. Both find the lock lost when
 * a quorum holds another token (or none).
 */
final class LockRenewal {

	private final RedlockLock lock;

	private final LockContext context;

	private final Settings settings;

	private final AtomicLong validUntil;

	/** The longest ttl the keys were set or extended with: how long a key missed by a release can live. */
	private final AtomicLong longestTtlNanos;

	LockRenewal(RedlockLock lock, LockContext context, Settings settings, long validUntil, long ttlNanos) {
		this.lock = lock;
		this.context = context;
		this.settings = settings;
		this.validUntil = new AtomicLong(validUntil);
		this.longestTtlNanos = new AtomicLong(ttlNanos);
	}

	long remainingNanos() {
		return Math.max(0, this.validUntil.get() - System.nanoTime());
	}

	long longestTtlNanos() {
		return this.longestTtlNanos.get();
	}

	/** The extension, completing on an I/O thread. */
	CompletableFuture<Lock> extending(Duration ttl) {
		List<String> resources = this.lock.resources();
		Lease extended = Lease.of(Validation.ttl(ttl, this.settings.driftFactor()), this.settings.driftFactor());
		RedlockException closed = this.context.closedFailure("extend the lock on " + resources);
		if (closed != null) {
			return CompletableFuture.failedFuture(closed);
		}
		if (!this.lock.isHeld()) {
			LockExtensionException ex = new LockExtensionException(
					"Cannot extend the lock on " + resources + ": it is " + this.lock.describeState(), resources, List.of());
			this.lock.markLost(ex);
			this.context.callbacks().lockExtended(this.lock, ex);
			return CompletableFuture.failedFuture(ex);
		}
		this.longestTtlNanos.accumulateAndGet(extended.ttlNanos(), Math::max);
		Tally tally = this.context.rounds().extend(this.lock.keys(), this.lock.value(), extended.ttlMillis(),
				this.lock.lastReplies());
		this.lock.lastReplies(tally.replies());
		return tally.decided().thenApply((decided) -> {
			long until = extended.validUntil(decided.startedAt());
			if (decided.hasQuorum() && until - System.nanoTime() > 0) {
				this.validUntil.accumulateAndGet(until, Math::max);
				this.context.callbacks().lockExtended(this.lock, null);
				return this.lock;
			}
			LockExtensionException ex = new LockExtensionException("Could not extend the lock on " + resources + ": "
					+ decided.count(Vote.GRANTED) + " of " + this.context.nodeCount() + " nodes confirmed, "
					+ this.context.quorum() + " needed; " + decided.votes(), resources, decided.votes());
			if (refusedByQuorum(decided)) {
				this.lock.markLost(ex);
			}
			this.context.callbacks().lockExtended(this.lock, ex);
			throw ex;
		});
	}

	/** The check, completing on an I/O thread. */
	CompletableFuture<Boolean> checking() {
		RedlockException closed = this.context.closedFailure("check the lock on " + this.lock.resources());
		if (closed != null) {
			return CompletableFuture.failedFuture(closed);
		}
		if (!this.lock.isHeld()) {
			return CompletableFuture.completedFuture(false);
		}
		Tally tally = this.context.rounds().check(this.lock.keys(), this.lock.value(), this.lock.lastReplies());
		return tally.decided().thenApply((decided) -> {
			if (decided.hasQuorum()) {
				return this.lock.isHeld();
			}
			if (refusedByQuorum(decided)) {
				this.lock.markLost(new LockExtensionException("The nodes no longer hold the lock on "
						+ this.lock.resources() + ": " + decided.votes(), this.lock.resources(), decided.votes()));
			}
			return false;
		});
	}

	/** Whether so many nodes hold another token (or none) that a quorum can never confirm ours. */
	private boolean refusedByQuorum(Tally tally) {
		return tally.count(Vote.REFUSED) > this.context.nodeCount() - this.context.quorum();
	}

}
