package dev.redlock.spring;

import java.util.List;
import java.util.concurrent.CompletionException;

import dev.redlock.Lock;
import dev.redlock.LockAcquisitionException;
import dev.redlock.LockHandle;
import dev.redlock.spring.LockOperation.Returns;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Locking for methods returning Reactor types. Kept apart so that it is loaded only when
 * Reactor is on the classpath.
 */
final class ReactiveLocking {

	private ReactiveLocking() {
	}

	/** How a method returning {@code type} holds its lock, or {@code null} if it is not reactive. */
	static Returns returns(Class<?> type) {
		if (Mono.class.isAssignableFrom(type)) {
			return Returns.MONO;
		}
		return (Publisher.class.isAssignableFrom(type)) ? Returns.FLUX : null;
	}

	/**
	 * Wraps what the method returned so that each subscription acquires the lock first,
	 * without blocking, and releases it on completion, error or cancellation.
	 */
	static Object hold(DistributedLockSupport support, LockOperation operation, List<String> keys, Object target,
			Object result) {
		if (result == null) {
			return null;
		}
		Mono<Lock> acquire = Mono
			.defer(() -> Mono.fromCompletionStage(support.redlock().acquireAsync(keys, operation.ttl(), operation.waitTime())))
			.onErrorResume((ex) -> skipped(support, operation, ex), (ex) -> Mono.empty())
			.doOnNext((lock) -> support.watch(operation, keys, target, lock));
		if (operation.returns() == Returns.MONO) {
			Mono<?> mono = (Mono<?>) result;
			return Mono.usingWhen(acquire, (lock) -> mono.contextWrite((context) -> context.put(LockHandle.class, lock)),
					(lock) -> release(support, lock), (lock, ex) -> release(support, lock), (lock) -> release(support, lock));
		}
		Flux<?> flux = Flux.from((Publisher<?>) result);
		return Flux.usingWhen(acquire, (lock) -> flux.contextWrite((context) -> context.put(LockHandle.class, lock)),
				(lock) -> release(support, lock), (lock, ex) -> release(support, lock), (lock) -> release(support, lock));
	}

	private static boolean skipped(DistributedLockSupport support, LockOperation operation, Throwable ex) {
		Throwable cause = (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
		return cause instanceof LockAcquisitionException failure && support.skips(operation, failure);
	}

	private static Mono<Void> release(DistributedLockSupport support, Lock lock) {
		return Mono.fromCompletionStage(() -> support.releaseAsync(lock));
	}

}
