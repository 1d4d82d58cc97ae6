package dev.redlock.internal;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import dev.redlock.Lock;
import dev.redlock.LockExtensionException;
import dev.redlock.RedlockException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lock held on a quorum; its validity is tracked with the local monotonic clock, and its
 * state ({@link HolderState}) only moves from held to lost or released. Extensions and checks
 * are {@link LockRenewal}'s business, fencing tokens {@link FencingTokens}'; this class keeps
 * the lock's identity, its release and its loss.
 */
final class RedlockLock implements Lock {

	private static final Logger logger = LoggerFactory.getLogger(RedlockLock.class);

	private final LockContext context;

	private final List<String> resources;

	private final String[] keys;

	private final String token;

	private final Lease lease;

	private final List<String> grantedBy;

	private final HolderState state = new HolderState();

	/** When the lock was decided acquired, by the monotonic clock: how long it was held is told from it. */
	private final long acquiredAt = System.nanoTime();

	private final LockRenewal renewal;

	private final AutoExtension autoExtension;

	private final FencingTokens fencing;

	/** Each node's last command for this lock: the next one on that node is sent after it. */
	private volatile CompletableFuture<?>[] lastReplies;

	RedlockLock(LockContext context, Settings settings, List<String> resources, String token, Lease lease, long validUntil,
			Tally acquired) {
		this.context = context;
		this.resources = resources;
		this.keys = resources.toArray(String[]::new);
		this.token = token;
		this.lease = lease;
		this.grantedBy = List.copyOf(acquired.grantedBy());
		this.lastReplies = acquired.replies();
		this.renewal = new LockRenewal(this, context, settings, validUntil, lease.ttlNanos());
		this.autoExtension = new AutoExtension(this, context.timers(), settings);
		this.fencing = new FencingTokens(this, context);
	}

	@Override
	public List<String> resources() {
		return this.resources;
	}

	@Override
	public String value() {
		return this.token;
	}

	String[] keys() {
		return this.keys;
	}

	@Override
	public long fencingToken() {
		return Futures.await(this.fencing.ofOnlyResource(), "getting the fencing token of " + this.resources);
	}

	@Override
	public long fencingToken(String resource) {
		return Futures.await(this.fencing.of(resource), "getting the fencing token of '" + resource + "'");
	}

	/** Completes on the callback executor, like the Redlock's own asynchronous results. */
	@Override
	public CompletionStage<Long> fencingTokenAsync(String resource) {
		return delivered(this.fencing.of(resource));
	}

	@Override
	public OptionalLong knownFencingToken(String resource) {
		return this.fencing.known(resource);
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

	/** Completes when the lock is released or lost. */
	CompletableFuture<Void> ended() {
		return this.state.ended();
	}

	@Override
	public boolean isHeld() {
		return this.state.isHeld() && remainingNanos() > 0;
	}

	long remainingNanos() {
		return this.renewal.remainingNanos();
	}

	Duration ttl() {
		return Duration.ofMillis(this.lease.ttlMillis());
	}

	/** For messages: what a lock that is not held is. */
	String describeState() {
		return this.state.describe();
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
		return this.renewal.extending(ttl);
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
		return Futures.await(this.renewal.checking(), "checking the lock on " + this.resources);
	}

	@Override
	public CompletionStage<Boolean> checkAsync() {
		return delivered(this.renewal.checking());
	}

	/** The caller's view: continuations run on the callback executor, never on an I/O thread. */
	private <T> CompletableFuture<T> delivered(CompletableFuture<T> internal) {
		return this.context.callbacks().deliver(internal, internal, (value) -> {
		});
	}

	/** Never fails: after the Redlock closed, it sends nothing and the keys expire with their ttl. */
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
		HolderState.State before = this.state.release();
		if (before == HolderState.State.RELEASED) {
			return CompletableFuture.completedFuture(null);
		}
		this.autoExtension.stop();
		this.context.extending().remove(this);
		if (before == HolderState.State.HELD) {
			this.context.events().ended(this, this.acquiredAt);
		}
		return LockRelease.send(this, this.context, this.renewal.longestTtlNanos());
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
		this.context.events().ended(this, this.acquiredAt);
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
