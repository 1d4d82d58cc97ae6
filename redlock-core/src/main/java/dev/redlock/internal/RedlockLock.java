package dev.redlock.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import dev.redlock.Lock;
import dev.redlock.LockExtensionException;
import dev.redlock.NodeVote.Vote;
import dev.redlock.RedlockException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A lock held on a quorum; its validity is tracked with the local monotonic clock. */
final class RedlockLock implements Lock {

	private static final Logger logger = LoggerFactory.getLogger(RedlockLock.class);

	private enum State {

		HELD, LOST, RELEASED

	}

	private final Cluster cluster;

	private final List<String> resources;

	private final String[] keys;

	private final String token;

	private final long ttlNanos;

	private final AtomicReference<State> state = new AtomicReference<>(State.HELD);

	private final List<Consumer<? super RedlockException>> lossCallbacks = new ArrayList<>();

	private volatile long validUntil;

	private volatile RedlockException lossCause;

	private volatile ScheduledFuture<?> nextExtension;

	private volatile boolean autoExtending;

	RedlockLock(Cluster cluster, List<String> resources, String token, long ttlNanos, long validUntil) {
		this.cluster = cluster;
		this.resources = resources;
		this.keys = resources.toArray(String[]::new);
		this.token = token;
		this.ttlNanos = ttlNanos;
		this.validUntil = validUntil;
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
	public Duration remainingValidity() {
		long left = this.validUntil - System.nanoTime();
		return (this.state.get() == State.HELD && left > 0) ? Duration.ofNanos(left) : Duration.ZERO;
	}

	@Override
	public boolean isHeld() {
		return this.state.get() == State.HELD && this.validUntil - System.nanoTime() > 0;
	}

	@Override
	public Lock extend(Duration ttl) {
		return Futures.await(extendAsync(ttl), "extending the lock on " + this.resources);
	}

	@Override
	public CompletionStage<Lock> extendAsync(Duration ttl) {
		long newTtl = Validation.ttl(ttl, this.cluster.settings()).toNanos();
		if (this.state.get() != State.HELD || this.validUntil - System.nanoTime() <= 0) {
			LockExtensionException ex = new LockExtensionException(
					"Cannot extend the lock on " + this.resources + ": it is " + describeState(), this.resources, List.of());
			markLost(ex);
			return CompletableFuture.failedFuture(ex);
		}
		long drift = this.cluster.settings().driftNanos(newTtl);
		long ttlMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(newTtl));
		return this.cluster.extendRound(this.keys, this.token, ttlMillis).decided().thenApply((tally) -> {
			long validity = newTtl - tally.elapsedNanos() - drift;
			if (tally.hasQuorum() && validity > 0) {
				this.validUntil = tally.startedAt() + newTtl - drift;
				return this;
			}
			LockExtensionException ex = new LockExtensionException("Could not extend the lock on " + this.resources
					+ ": " + tally.count(Vote.GRANTED) + " of " + this.cluster.nodes().size() + " nodes confirmed, "
					+ this.cluster.quorum() + " needed; " + tally.votes(), this.resources, tally.votes());
			if (tally.count(Vote.REFUSED) > this.cluster.nodes().size() - this.cluster.quorum()) {
				markLost(ex);
			}
			throw ex;
		});
	}

	@Override
	public Lock autoExtend() {
		if (!this.autoExtending) {
			this.autoExtending = true;
			scheduleExtension(Math.max(remaining() - this.cluster.settings().extensionThreshold().toNanos(),
					remaining() / 2));
		}
		return this;
	}

	private void scheduleExtension(long delayNanos) {
		if (this.state.get() != State.HELD) {
			return;
		}
		try {
			this.nextExtension = this.cluster.scheduler().schedule(this::extendNow, delayNanos, TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			markLost(new LockExtensionException("The Redlock was closed while holding the lock on " + this.resources,
					this.resources, List.of()));
		}
	}

	private void extendNow() {
		extendAsync(Duration.ofNanos(this.ttlNanos)).whenComplete((lock, ex) -> {
			if (ex == null) {
				autoExtendAgain();
				return;
			}
			RedlockException cause = asRedlockException(RedisNode.unwrap(ex));
			// Still valid and not refused: a transient failure, try again while time is left.
			if (this.state.get() == State.HELD && remaining() > 0) {
				logger.debug("Extension of the lock on {} failed, retrying: {}", this.resources, cause.getMessage());
				scheduleExtension(Math.min(this.cluster.settings().retryDelay().toNanos(), remaining() / 2));
			}
			else {
				markLost(cause);
			}
		});
	}

	private void autoExtendAgain() {
		scheduleExtension(Math.max(remaining() - this.cluster.settings().extensionThreshold().toNanos(), remaining() / 2));
	}

	@Override
	public void release() {
		Futures.awaitUninterruptibly(releaseAsync(), "releasing the lock on " + this.resources);
	}

	@Override
	public CompletionStage<Void> releaseAsync() {
		if (this.state.getAndSet(State.RELEASED) == State.RELEASED) {
			return CompletableFuture.completedFuture(null);
		}
		ScheduledFuture<?> extension = this.nextExtension;
		if (extension != null) {
			extension.cancel(false);
		}
		return this.cluster.releaseRound(this.keys, this.token, true).decided().thenAccept((tally) -> {
			this.cluster.notifications().released(this.token, this.keys);
			if (!tally.hasQuorum() && tally.count(Vote.FAILED) > 0) {
				logger.warn("The lock on {} was released on {} of {} nodes; where it was not, it expires with its ttl: {}",
						this.resources, tally.count(Vote.GRANTED), this.cluster.nodes().size(), tally.votes());
			}
		});
	}

	@Override
	public void close() {
		release();
	}

	@Override
	public void onLost(Consumer<? super RedlockException> callback) {
		synchronized (this.lossCallbacks) {
			if (this.lossCause == null) {
				this.lossCallbacks.add(callback);
				return;
			}
		}
		callback.accept(this.lossCause);
	}

	@Override
	public void throwIfLost() {
		RedlockException cause = this.lossCause;
		if (cause != null) {
			throw cause;
		}
		if (!isHeld()) {
			throw new LockExtensionException("The lock on " + this.resources + " is no longer held: it is " + describeState(),
					this.resources, List.of());
		}
	}

	private void markLost(RedlockException cause) {
		if (!this.state.compareAndSet(State.HELD, State.LOST)) {
			return;
		}
		List<Consumer<? super RedlockException>> callbacks;
		synchronized (this.lossCallbacks) {
			this.lossCause = cause;
			callbacks = List.copyOf(this.lossCallbacks);
			this.lossCallbacks.clear();
		}
		logger.warn("Lost the lock on {}: {}", this.resources, cause.getMessage());
		this.cluster.reportLockLost(this, cause);
		for (Consumer<? super RedlockException> callback : callbacks) {
			try {
				callback.accept(cause);
			}
			catch (RuntimeException ex) {
				logger.warn("A lock-lost callback threw; ignored", ex);
			}
		}
	}

	private long remaining() {
		return Math.max(0, this.validUntil - System.nanoTime());
	}

	private String describeState() {
		return switch (this.state.get()) {
			case RELEASED -> "released";
			case LOST -> "lost";
			case HELD -> "expired";
		};
	}

	private static RedlockException asRedlockException(Throwable ex) {
		return (ex instanceof RedlockException redlock) ? redlock : new RedlockException(ex.getMessage(), ex);
	}

	@Override
	public String toString() {
		return "Lock" + this.resources + "[" + (isHeld() ? "held" : describeState()) + ", valid for "
				+ remainingValidity().toMillis() + " ms]";
	}

}
