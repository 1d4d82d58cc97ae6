package dev.redlock.spring;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import dev.redlock.Lock;
import dev.redlock.RedlockException;

/**
 * A lock that tells its observers when it is released, whichever way the starter releases it
 * (at the end of the call, after a transaction, when an asynchronous or reactive result
 * completes); once, however often it is released. They are told as the release is sent, not
 * when it is answered: the nodes may hand the lock to a waiter before the answer comes back,
 * and an observer's record of the release must not come after the next holder's acquisition.
 * Everything else is the lock's own.
 */
final class ObservedLock implements Lock {

	private final Lock lock;

	private final LockObservers.Calls calls;

	private final AtomicBoolean released = new AtomicBoolean();

	ObservedLock(Lock lock, LockObservers.Calls calls) {
		this.lock = lock;
		this.calls = calls;
	}

	private void releasing() {
		if (this.released.compareAndSet(false, true)) {
			this.calls.released();
		}
	}

	@Override
	public void release() {
		releasing();
		this.lock.release();
	}

	@Override
	public CompletionStage<Void> releaseAsync() {
		releasing();
		return this.lock.releaseAsync();
	}

	@Override
	public void close() {
		release();
	}

	@Override
	public List<String> grantedBy() {
		return this.lock.grantedBy();
	}

	@Override
	public Lock extend(Duration ttl) {
		this.lock.extend(ttl);
		return this;
	}

	@Override
	public CompletionStage<Lock> extendAsync(Duration ttl) {
		return this.lock.extendAsync(ttl).thenApply((extended) -> this);
	}

	@Override
	public Lock autoExtend() {
		this.lock.autoExtend();
		return this;
	}

	@Override
	public List<String> resources() {
		return this.lock.resources();
	}

	@Override
	public String value() {
		return this.lock.value();
	}

	@Override
	public long fencingToken() {
		return this.lock.fencingToken();
	}

	@Override
	public long fencingToken(String resource) {
		return this.lock.fencingToken(resource);
	}

	@Override
	public OptionalLong knownFencingToken(String resource) {
		return this.lock.knownFencingToken(resource);
	}

	@Override
	public CompletionStage<Long> fencingTokenAsync(String resource) {
		return this.lock.fencingTokenAsync(resource);
	}

	@Override
	public Duration remainingValidity() {
		return this.lock.remainingValidity();
	}

	@Override
	public boolean isHeld() {
		return this.lock.isHeld();
	}

	@Override
	public boolean check() {
		return this.lock.check();
	}

	@Override
	public CompletionStage<Boolean> checkAsync() {
		return this.lock.checkAsync();
	}

	@Override
	public void onLost(Consumer<? super RedlockException> callback) {
		this.lock.onLost(callback);
	}

	@Override
	public void throwIfLost() {
		this.lock.throwIfLost();
	}

	@Override
	public String toString() {
		return this.lock.toString();
	}

}
