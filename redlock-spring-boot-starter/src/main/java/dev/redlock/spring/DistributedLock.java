package dev.redlock.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.aot.hint.annotation.Reflective;

/**
 * Runs the annotated method under a Redlock: held on a majority of independent Redis
 * masters, extended automatically while the method runs, and released when it returns or
 * throws.
 *
 * <pre>{@code
 * @DistributedLock(key = "'account:' + #accountId", ttl = "10s", waitTime = "3s")
 * public void transfer(long accountId, long amountCents) { ... }
 * }</pre>
 *
 * <p><b>Keys.</b> Each {@link #key} is a SpEL expression, evaluated like the keys of Spring's
 * cache annotations: parameters by name ({@code #accountId}, which needs the {@code -parameters}
 * compiler flag) or position ({@code #p0}, {@code #a0}), {@code #root.method},
 * {@code #root.methodName}, {@code #root.target}, {@code #root.targetClass},
 * {@code #root.args}, and beans as {@code @beanName}. Results that are not strings (numbers,
 * UUIDs, enums) are converted to text. The Redis key is {@code redlock.key-prefix} followed
 * by the result. Several keys make one lock on all of them, acquired all or nothing.
 * Expressions and durations are checked when the application starts.
 *
 * <p><b>When the lock is busy.</b> The method waits up to {@link #waitTime}; if the lock is
 * still held by another owner then, the call fails with a
 * {@link dev.redlock.LockAcquisitionException}, or, with {@code ifLocked = IfLocked.SKIP}, it
 * is skipped (see {@link IfLocked#SKIP}). An outage (too few nodes answering) always fails.
 *
 * <p><b>Nesting.</b> A nested call on the same thread whose keys the enclosing call already
 * holds joins that lock instead of waiting for itself.
 *
 * <p><b>Lost locks.</b> If the lock cannot be extended and runs out while the method is still
 * running, the loss is logged at ERROR, published as a {@link DistributedLockLostEvent}, and
 * visible to the method through {@link DistributedLocks#currentLock()}. What else happens is
 * {@link #onLost}: by default ({@code redlock.on-lost=log}) the method runs on; with
 * {@link OnLost#INTERRUPT} its thread is interrupted, or its asynchronous or reactive result
 * cancelled. A transaction that began inside the method is rolled back if the lock is lost
 * before it commits.
 *
 * <p><b>Asynchronous methods.</b> A method returning a {@link java.util.concurrent.CompletionStage}
 * waits for the lock on the calling thread, then holds it until the returned stage
 * completes. A method returning a Reactor {@code Mono} or {@code Flux}, any other type that
 * Spring's {@code ReactiveAdapterRegistry} knows (RxJava 3, Kotlin {@code Flow}), or a Kotlin
 * {@code suspend} function acquires the lock when subscribed (or called), without blocking, and
 * holds it until completion, error or cancellation; the lock is in the Reactor context under
 * the key {@code LockHandle.class}. A return type whose work the lock cannot follow (a
 * {@code Stream}, an {@code Iterator}, a {@code Future} that is not a {@code CompletionStage})
 * fails the start.
 *
 * <p><b>Where it applies.</b> On a method of a Spring bean, called through the bean's proxy;
 * the annotation may sit on the class's method or on an interface method it implements, and
 * may be used as a meta-annotation of an annotation of your own, whose attributes can override
 * this one's with {@code @AliasFor}. A {@code private}, {@code static} or (on a class-proxied
 * bean) {@code final} method cannot be advised and fails the start.
 *
 * <p><b>Transactions.</b> The advice runs outside {@code @Transactional} by default
 * ({@code redlock.aspect.order}), so the lock is released only after the commit. Called
 * inside a transaction that began outside it, the method keeps its lock until that
 * transaction completes ({@code redlock.transaction.hold-until-completion}).
 *
 * @see DistributedLocks
 * @see IfLocked
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective
public @interface DistributedLock {

	/**
	 * SpEL expressions whose values name the locked resources; several expressions lock all
	 * of their resources as one lock. A literal needs quotes: {@code "'nightly-report'"}.
	 */
	String[] key();

	/**
	 * How long the lock lives unless extended, as {@code 10s}, {@code 500ms}, {@code PT10S} or a
	 * {@code ${placeholder}}. Empty for {@code redlock.default-ttl}. With {@link #autoExtend}
	 * it is extended before it runs out, so it only bounds how long a crashed holder blocks
	 * others.
	 */
	String ttl() default "";

	/**
	 * How long to keep trying to acquire the lock, in the same forms as {@link #ttl};
	 * {@code "0"} makes exactly one attempt. Empty for {@code redlock.default-wait-time}.
	 */
	String waitTime() default "";

	/**
	 * Whether to extend the lock automatically while the method runs.
	 */
	boolean autoExtend() default true;

	/**
	 * What to do when another owner still holds the lock after {@link #waitTime}: fail the
	 * call (default), or skip it.
	 */
	IfLocked ifLocked() default IfLocked.FAIL;

	/**
	 * What to do when the lock is lost while the method's work is still running;
	 * {@link OnLost#DEFAULT} for {@code redlock.on-lost}.
	 */
	OnLost onLost() default OnLost.DEFAULT;

	/**
	 * The lock's name in metrics and observations (the {@code name} tag of
	 * {@code redlock.acquire}, {@code redlock.held} and {@code redlock.lock}); by default the
	 * method, as {@code SimpleClassName.method}. Never a key: keys are unbounded, tags must not be.
	 */
	String name() default "";

}
