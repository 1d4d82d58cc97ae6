package dev.redlock.spring;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.springframework.context.expression.AnnotatedElementKey;
import org.springframework.expression.Expression;

/**
 * What one {@link DistributedLock @DistributedLock} method needs on every call, resolved once:
 * the most specific method, its parsed key expressions and its parsed durations.
 *
 * @param method the most specific method, whose parameter names the expressions use
 * @param methodKey the method and target class, the key of the expression cache
 * @param description the method as named in messages
 * @param keyExpressions the {@link DistributedLock#key} texts, for messages
 * @param keys the parsed key expressions, in the same order
 * @param ttl the lock's time to live
 * @param waitTime how long to keep trying
 * @param autoExtend whether to extend the lock while the method runs
 * @param ifLocked what to do when another owner holds the lock
 * @param returns how the method's result is held on to
 */
record LockOperation(Method method, AnnotatedElementKey methodKey, String description, List<String> keyExpressions,
		List<Expression> keys, Duration ttl, Duration waitTime, boolean autoExtend, IfLocked ifLocked, Returns returns) {

	/** How the lock relates to what the method returns. */
	enum Returns {

		/** A plain value: held while the method runs. */
		VALUE,

		/** An {@link Optional}: held while the method runs; empty when skipped. */
		OPTIONAL,

		/** A {@link java.util.concurrent.CompletionStage}: held until it completes. */
		COMPLETION_STAGE,

		/** A Reactor {@code Mono}: held from subscription until it terminates. */
		MONO,

		/** A Reactor {@code Flux} or another {@code Publisher}: held from subscription until it terminates. */
		FLUX

	}

	/** What a skipped blocking call returns. */
	Object skippedValue() {
		return (this.returns == Returns.OPTIONAL) ? Optional.empty() : null;
	}

}
