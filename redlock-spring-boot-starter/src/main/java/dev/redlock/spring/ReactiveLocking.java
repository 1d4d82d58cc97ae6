package dev.redlock.spring;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;

import dev.redlock.Lock;
import dev.redlock.LockAcquisitionException;
import dev.redlock.LockHandle;
import dev.redlock.RedlockException;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;

/**
 * Locking for methods whose result is reactive: Reactor types, whatever Spring's
 * {@link ReactiveAdapterRegistry} adapts (RxJava 3, Kotlin {@code Flow}), and Kotlin
 * {@code suspend} functions, which Spring's AOP proxies present to advice as a {@code Mono}
 * (or a {@code Flux} for a suspend function returning a {@code Flow}). Kept apart so that it is
 * loaded only when Reactor is on the classpath.
 */
final class ReactiveLocking {

	private ReactiveLocking() {
	}

	/** The adapter of what the proxy hands advice for a suspend function. */
	static ReactiveAdapter adapter(ReactiveAdapterRegistry registry, boolean flow) {
		return registry.getAdapter(flow ? Flux.class : Mono.class);
	}

	/**
	 * Wraps what the method returned so that each subscription acquires the lock first,
	 * without blocking, and releases it on completion, error or cancellation; then turns it
	 * back into the method's own type.
	 */
	static Object hold(LockLifecycle locking, LockOperation operation, List<String> keys, Object target,
			Object result) {
		if (result == null) {
			return null;
		}
		ReactiveAdapter adapter = operation.adapter();
		Publisher<?> publisher = adapter.toPublisher(result);
		Mono<Lock> acquire = Mono.defer(() -> {
			LockObservers.Calls calls = locking.started(operation, keys);
			return Mono.fromCompletionStage(locking.redlock()
				.acquireAsync(keys, operation.ttl(), LockedCallOptions.waitingUpTo(operation.waitTime())))
				.doOnError((ex) -> failed(operation, calls, unwrap(ex)))
				.map((lock) -> LockLifecycle.observed(calls, lock));
		})
			.onErrorResume((ex) -> skipped(locking, operation, ex), (ex) -> Mono.empty())
			.doOnNext((lock) -> locking.watch(operation, keys, target, lock));
		Publisher<?> held;
		if (adapter.isMultiValue()) {
			held = Flux.usingWhen(acquire, (lock) -> stopOnLoss(operation, keys, lock, Flux.from(publisher)),
					(lock) -> release(lock), (lock, ex) -> release(lock), (lock) -> release(lock));
		}
		else {
			held = Mono.usingWhen(acquire, (lock) -> stopOnLoss(operation, keys, lock, Mono.from(publisher)),
					(lock) -> release(lock), (lock, ex) -> release(lock), (lock) -> release(lock));
		}
		return adapter.fromPublisher(held);
	}

	/**
	 * The work, with the lock in its context, cut off on loss when the policy says so: the
	 * loss cancels the work (a signal ends {@code takeUntilOther} by cancelling its source,
	 * which an error does not), and the subscriber then gets the loss as an error.
	 */
	private static <T> Flux<T> stopOnLoss(LockOperation operation, List<String> keys, Lock lock, Flux<T> work) {
		Flux<T> withLock = work.contextWrite((context) -> context.put(LockHandle.class, lock));
		if (operation.onLost() != OnLost.INTERRUPT) {
			return withLock;
		}
		return Flux.defer(() -> {
			AtomicReference<RedlockException> lost = new AtomicReference<>();
			return withLock.takeUntilOther(lost(lock, lost)).concatWith(Mono.defer(() -> failIfLost(operation, keys, lost)));
		});
	}

	private static <T> Mono<T> stopOnLoss(LockOperation operation, List<String> keys, Lock lock, Mono<T> work) {
		Mono<T> withLock = work.contextWrite((context) -> context.put(LockHandle.class, lock));
		if (operation.onLost() != OnLost.INTERRUPT) {
			return withLock;
		}
		return Mono.defer(() -> {
			AtomicReference<RedlockException> lost = new AtomicReference<>();
			return withLock.takeUntilOther(lost(lock, lost)).switchIfEmpty(Mono.defer(() -> failIfLost(operation, keys, lost)));
		});
	}

	/** Emits once the lock is lost, having recorded why. */
	private static Mono<RedlockException> lost(Lock lock, AtomicReference<RedlockException> lost) {
		return Mono.create((sink) -> lock.onLost((cause) -> {
			lost.set(cause);
			sink.success(cause);
		}));
	}

	private static <T> Mono<T> failIfLost(LockOperation operation, List<String> keys,
			AtomicReference<RedlockException> lost) {
		RedlockException cause = lost.get();
		if (cause == null) {
			return Mono.empty();
		}
		return Mono.error(new DistributedLockLostException(keys, "Lost the distributed lock on " + keys + " while "
				+ operation.description() + " was still running; its reactive work was cancelled", cause));
	}

	private static boolean skipped(LockLifecycle locking, LockOperation operation, Throwable ex) {
		return unwrap(ex) instanceof LockAcquisitionException failure && locking.skips(operation, failure);
	}

	private static void failed(LockOperation operation, LockObservers.Calls calls, Throwable ex) {
		boolean skipped = ex instanceof LockAcquisitionException failure && operation.ifLocked() == IfLocked.SKIP
				&& failure.isHeldByAnotherOwner();
		LockLifecycle.notAcquired(calls, skipped ? LockOutcome.SKIPPED : LockOutcome.of(ex), skipped ? null : ex);
	}

	private static Throwable unwrap(Throwable ex) {
		return (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
	}

	private static Mono<Void> release(Lock lock) {
		return Mono.fromCompletionStage(() -> LockLifecycle.releaseAsync(lock));
	}

}
