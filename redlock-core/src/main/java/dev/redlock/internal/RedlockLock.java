package dev.redlock.internal;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.redlock.Lock;
import dev.redlock.LockExtensionException;
import dev.redlock.NodeVote.Vote;
import dev.redlock.RedlockException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lock held on a quorum; its validity is tracked with the local monotonic clock, and its
 * state ({@link HolderState}) only moves from held to lost or released.
 */
final class RedlockLock implements Lock {

	private static final Logger logger = LoggerFactory.getLogger(RedlockLock.class);

	private final LockContext context;

	private final Settings settings;

	private final List<String> resources;

	private final String[] keys;

	private final String token;

	private final Lease lease;

	private final List<String> grantedBy;

	private final HolderState state = new HolderState();

	private final AtomicLong validUntil;

	/** The longest ttl the keys were set or extended with: how long a key missed by a release can live. */
	private final AtomicLong longestTtlNanos;

	private final AutoExtension autoExtension;

	private final FencingTokens fencing = new FencingTokens();

	/** Each node's last command for this lock: the next one on that node is sent after it. */
	private volatile CompletableFuture<?>[] lastReplies;

	RedlockLock(LockContext context, Settings settings, List<String> resources, String token, Lease lease, long validUntil,
			Tally acquired) {
		this.context = context;
		this.settings = settings;
		this.resources = resources;
		this.keys = resources.toArray(String[]::new);
		this.token = token;
		this.lease = lease;
		this.validUntil = new AtomicLong(validUntil);
		this.longestTtlNanos = new AtomicLong(lease.ttlNanos());
		this.grantedBy = List.copyOf(acquired.grantedBy());
		this.lastReplies = acquired.replies();
		this.autoExtension = new AutoExtension(this, context.timers(), settings);
	}

	@Override
	public List<String> resources() {
		return this.resources;
	}

	@Override
	public String value() {
		return this.token;
	}

	@Override
	public long fencingToken() {
		if (this.resources.size() != 1) {
			throw new IllegalStateException("This lock holds " + this.resources.size() + " resources " + this.resources
					+ ": ask fencingToken(resource) for the token of one of them");
		}
		return fencingToken(this.resources.get(0));
	}

	@Override
	public long fencingToken(String resource) {
		return Futures.await(fencingTokenOf(resource), "getting the fencing token of '" + resource + "'");
	}

	/** Completes on the callback executor, like the Redlock's own asynchronous results. */
	@Override
	public CompletionStage<Long> fencingTokenAsync(String resource) {
		return delivered(fencingTokenOf(resource));
	}

	@Override
	public OptionalLong knownFencingToken(String resource) {
		int index = this.resources.indexOf(resource);
		long[] known = this.fencing.known();
		return (index >= 0 && known != null) ? OptionalLong.of(known[index]) : OptionalLong.empty();
	}

	private CompletableFuture<Long> fencingTokenOf(String resource) {
		int index = this.resources.indexOf(resource);
		if (index < 0) {
			return CompletableFuture.failedFuture(new IllegalArgumentException(
					"'" + resource + "' is not a resource of this lock; it holds " + this.resources));
		}
		return this.fencing.get(this, this.context, this.keys, this.token).thenApply((tokens) -> tokens[index]);
	}

	/** Each node's last command for this lock, to send the next one after. */
	CompletableFuture<?>[] lastReplies() {
		return this.lastReplies;
	}

	void lastReplies(CompletableFuture<?>[] replies) {
		this.lastReplies = replies;
	}

	@Override
	public List<String> grantedBy() {
		return this.grantedBy;
	}

	@Override
	public Duration remainingValidity() {
		return isHeld() ? Duration.ofNanos(remainingNanos()) : Duration.ZERO;
	}

	@Override
	public boolean isHeld() {
		return this.state.isHeld() && remainingNanos() > 0;
	}

	long remainingNanos() {
		return Math.max(0, this.validUntil.get() - System.nanoTime());
	}

	Duration ttl() {
		return Duration.ofMillis(this.lease.ttlMillis());
	}

	@Override
	public Lock extend(Duration ttl) {
		return Futures.await(extending(ttl), "extending the lock on " + this.resources);
	}

	@Override
	public CompletionStage<Lock> extendAsync(Duration ttl) {
		return delivered(extending(ttl));
	}

	/** The extension, completing on an I/O thread: for this library's own use. */
	CompletableFuture<Lock> extending(Duration ttl) {
		Lease extended = Lease.of(Validation.ttl(ttl, this.settings.driftFactor()), this.settings.driftFactor());
		if (!isHeld()) {
			LockExtensionException ex = new LockExtensionException(
					"Cannot extend the lock on " + this.resources + ": it is " + this.state.describe(), this.resources, List.of());
			markLost(ex);
			this.context.callbacks().lockExtended(this, ex);
			return CompletableFuture.failedFuture(ex);
		}
		this.longestTtlNanos.accumulateAndGet(extended.ttlNanos(), Math::max);
		Tally tally = this.context.rounds().extend(this.keys, this.token, extended.ttlMillis(), this.lastReplies);
		this.lastReplies = tally.replies();
		return tally.decided().thenApply((decided) -> {
			long until = extended.validUntil(decided.startedAt());
			if (decided.hasQuorum() && until - System.nanoTime() > 0) {
				this.validUntil.accumulateAndGet(until, Math::max);
				this.context.callbacks().lockExtended(this, null);
				return this;
			}
			LockExtensionException ex = new LockExtensionException("Could not extend the lock on " + this.resources + ": "
					+ decided.count(Vote.GRANTED) + " of " + this.context.nodeCount() + " nodes confirmed, "
					+ this.context.quorum() + " needed; " + decided.votes(), this.resources, decided.votes());
			if (refusedByQuorum(decided)) {
				markLost(ex);
			}
			this.context.callbacks().lockExtended(this, ex);
			throw ex;
		});
	}

	@Override
	public Lock autoExtend() {
		if (this.state.isHeld()) {
			this.context.extending().add(this);
			this.autoExtension.start();
		}
		return this;
	}

	@Override
	public boolean check() {
		return Futures.await(checking(), "checking the lock on " + this.resources);
	}

	@Override
	public CompletionStage<Boolean> checkAsync() {
		return delivered(checking());
	}

	private CompletableFuture<Boolean> checking() {
		if (!isHeld()) {
			return CompletableFuture.completedFuture(false);
		}
		Tally tally = this.context.rounds().check(this.keys, this.token, this.lastReplies);
		return tally.decided().thenApply((decided) -> {
			if (decided.hasQuorum()) {
				return isHeld();
			}
			if (refusedByQuorum(decided)) {
				markLost(new LockExtensionException("The nodes no longer hold the lock on " + this.resources + ": "
						+ decided.votes(), this.resources, decided.votes()));
			}
			return false;
		});
	}

	/** The caller's view: continuations run on the callback executor, never on an I/O thread. */
	private <T> CompletableFuture<T> delivered(CompletableFuture<T> internal) {
		return this.context.callbacks().deliver(internal, internal, (value) -> {
		});
	}

	/** Whether so many nodes hold another token (or none) that a quorum can never confirm ours. */
	private boolean refusedByQuorum(Tally tally) {
		return tally.count(Vote.REFUSED) > this.context.nodeCount() - this.context.quorum();
	}

	@Override
	public void release() {
		Futures.awaitUninterruptibly(releasing(), "releasing the lock on " + this.resources);
	}

	@Override
	public CompletionStage<Void> releaseAsync() {
		return delivered(releasing());
	}

	/** The release, completing on an I/O thread: for this library's own use. */
	CompletableFuture<Void> releasing() {
		if (!this.state.release()) {
			return CompletableFuture.completedFuture(null);
		}
		this.autoExtension.stop();
		this.context.extending().remove(this);
		ReleaseNotifications notifications = this.context.notifications();
		Tally tally;
		try {
			tally = this.context.rounds().release(this.keys, this.token, notifications.channel(), this.lastReplies,
					this.longestTtlNanos.get());
		}
		catch (RedlockException closed) {
			logger.warn("The lock on {} was not released: {}; it expires with its ttl", this.resources, closed.getMessage());
			return CompletableFuture.completedFuture(null);
		}
		return tally.decided().thenAccept((decided) -> {
			notifications.released(this.token, this.keys);
			if (decided.count(Vote.FAILED) > this.context.nodeCount() - this.context.quorum()) {
				logger.warn("The lock on {} was released on {} of {} nodes; where it was not, the release is retried "
						+ "until it lands or the keys expire: {}", this.resources, decided.count(Vote.GRANTED),
						this.context.nodeCount(), decided.votes());
			}
		});
	}

	@Override
	public void close() {
		release();
	}

	@Override
	public void onLost(Consumer<? super RedlockException> callback) {
		RedlockException cause = this.state.onLost(callback);
		if (cause != null) {
			this.context.callbacks().lossCallback(callback, cause);
		}
	}

	@Override
	public void throwIfLost() {
		RedlockException cause = this.state.lossCause();
		if (cause != null) {
			throw cause;
		}
		if (!isHeld()) {
			throw new LockExtensionException("The lock on " + this.resources + " is no longer held: it is " + this.state.describe(),
					this.resources, List.of());
		}
	}

	/** Marks the lock lost, once, and tells the callbacks and the listener, on the callback executor. */
	void markLost(RedlockException cause) {
		List<Consumer<? super RedlockException>> callbacks = this.state.lose(cause);
		if (callbacks == null) {
			return;
		}
		this.autoExtension.stop();
		this.context.extending().remove(this);
		logger.warn("Lost the lock on {}: {}", this.resources, cause.getMessage());
		this.context.callbacks().lockLost(this, cause);
		for (Consumer<? super RedlockException> callback : callbacks) {
			this.context.callbacks().lossCallback(callback, cause);
		}
	}

	boolean isReleasedOrLost() {
		return !this.state.isHeld();
	}

	@Override
	public String toString() {
		return "Lock" + this.resources + "[" + (isHeld() ? "held" : this.state.describe()) + ", valid for "
				+ remainingValidity().toMillis() + " ms]";
	}

}
