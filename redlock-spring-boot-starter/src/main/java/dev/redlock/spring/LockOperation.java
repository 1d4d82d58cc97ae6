package dev.redlock.spring;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.springframework.context.expression.AnnotatedElementKey;
import org.springframework.core.ReactiveAdapter;
import org.springframework.expression.Expression;

/**
 * What one {@link DistributedLock @DistributedLock} method needs on every call, resolved once:
 * the most specific method, its parsed key expressions and its parsed durations.
 *
 * @param method the most specific method, whose parameter names the expressions use
 * @param methodKey the method and target class, the key of the expression cache
 * @param description the method as named in messages
 * @param name the lock's name in metrics and observations
 * @param keyExpressions the {@link DistributedLock#key} texts, for messages
 * @param keys the parsed key expressions, in the same order
 * @param ttl the lock's time to live
 * @param waitTime how long to keep trying
 * @param autoExtend whether to extend the lock while the method runs
 * @param ifLocked what to do when another owner holds the lock
 * @param onLost what to do when the lock is lost, never {@link OnLost#DEFAULT}
 * @param returns how the method's result is held on to
 * @param adapter for {@link Returns#REACTIVE}, converts the result to and from a {@code Publisher}
 */
record LockOperation(Method method, AnnotatedElementKey methodKey, String description, String name,
		List<String> keyExpressions,
		List<Expression> keys, Duration ttl, Duration waitTime, boolean autoExtend, IfLocked ifLocked, OnLost onLost,
		Returns returns, ReactiveAdapter adapter) {

	/** An operation of {@link DistributedLockTemplate}: no method, no expressions, a blocking result. */
	static LockOperation programmatic(String description, String name, Duration ttl, Duration waitTime,
			boolean autoExtend, IfLocked ifLocked, OnLost onLost) {
		return new LockOperation(null, null, description, name, List.of(), List.of(), ttl, waitTime, autoExtend, ifLocked,
				onLost, Returns.VALUE, null);
	}

	/** How the lock relates to what the method returns. */
	enum Returns {

		/** A plain value: held while the method runs. */
		VALUE,

		/** An {@link Optional}: held while the method runs; empty when skipped. */
		OPTIONAL,

		/** A {@link java.util.concurrent.CompletionStage}: held until it completes. */
		COMPLETION_STAGE,

		/**
		 * A type of Spring's {@code ReactiveAdapterRegistry} (Reactor, RxJava, Kotlin
		 * {@code Flow}, any {@code Publisher}), or a Kotlin {@code suspend} function: held from
		 * subscription until it terminates or is cancelled.
		 */
		REACTIVE

	}

	/** What a skipped blocking call returns. */
	Object skippedValue() {
		return (this.returns == Returns.OPTIONAL) ? Optional.empty() : null;
	}

}
