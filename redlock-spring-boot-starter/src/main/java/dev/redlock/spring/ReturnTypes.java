package dev.redlock.spring;

import java.lang.reflect.Method;
import java.util.Iterator;
import java.util.Optional;
import java.util.Spliterator;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.stream.BaseStream;

import dev.redlock.spring.LockOperation.Returns;

import org.springframework.core.KotlinDetector;
import org.springframework.core.MethodParameter;
import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.util.ClassUtils;

/**
 * Decides, once per method, how a lock follows what the method returns, and refuses the
 * return types whose work it cannot follow. The only place that looks at return types.
 */
final class ReturnTypes {

	private static final ClassLoader classLoader = ReturnTypes.class.getClassLoader();

	private static final boolean reactorPresent = ClassUtils.isPresent("reactor.core.publisher.Mono", classLoader);

	private static final boolean coroutinesReactorPresent = ClassUtils.isPresent("kotlinx.coroutines.reactor.MonoKt",
			classLoader);

	private static final String KOTLIN_FLOW = "kotlinx.coroutines.flow.Flow";

	private static final String[] LAZY_TYPES = { "kotlin.sequences.Sequence" };

	private static final String[] PUBLISHER_TYPES = { "org.reactivestreams.Publisher",
			"java.util.concurrent.Flow$Publisher", KOTLIN_FLOW };

	private final ReactiveAdapterRegistry registry;

	ReturnTypes(ReactiveAdapterRegistry registry) {
		this.registry = registry;
	}

	/** How the lock of {@code method} follows its result. */
	record Classified(Returns returns, ReactiveAdapter adapter) {
	}

	/**
	 * @throws DistributedLockDeclarationException if the method returns something whose work
	 * the lock cannot follow
	 */
	Classified classify(Method method, String description) {
		if (KotlinDetector.isSuspendingFunction(method)) {
			if (!reactorPresent || !coroutinesReactorPresent) {
				throw unsupported(description, "is a Kotlin suspend function, whose lock is held through Reactor",
						"add org.jetbrains.kotlinx:kotlinx-coroutines-reactor to the classpath");
			}
			boolean flow = KOTLIN_FLOW.equals(new MethodParameter(method, -1).getParameterType().getName());
			return new Classified(Returns.REACTIVE, ReactiveLocking.adapter(this.registry, flow));
		}
		Class<?> type = method.getReturnType();
		if (CompletionStage.class.isAssignableFrom(type)) {
			return new Classified(Returns.COMPLETION_STAGE, null);
		}
		ReactiveAdapter adapter = this.registry.getAdapter(type);
		if (adapter != null || isAny(type, PUBLISHER_TYPES)) {
			if (adapter == null || !reactorPresent) {
				throw unsupported(description, "returns " + type.getName() + ", a reactive type whose lock is held "
						+ "through Reactor and Spring's ReactiveAdapterRegistry",
						"add io.projectreactor:reactor-core to the classpath (and, for a Kotlin Flow, "
								+ "org.jetbrains.kotlinx:kotlinx-coroutines-reactor), or return a Mono or Flux");
			}
			return new Classified(Returns.REACTIVE, adapter);
		}
		if (BaseStream.class.isAssignableFrom(type) || Iterator.class.isAssignableFrom(type)
				|| Spliterator.class.isAssignableFrom(type) || isAny(type, LAZY_TYPES)) {
			throw unsupported(description, "returns " + type.getName() + ", which is consumed after the method "
					+ "returns and its lock is released", "collect the results into a List inside the method, "
							+ "or return a Flux so the lock is held until the caller has consumed it");
		}
		if (Future.class.isAssignableFrom(type)) {
			throw unsupported(description, "returns " + type.getName() + ", a Future whose completion the lock "
					+ "cannot follow", "return a CompletableFuture or another CompletionStage");
		}
		return new Classified((type == Optional.class) ? Returns.OPTIONAL : Returns.VALUE, null);
	}

	private static boolean isAny(Class<?> type, String[] names) {
		for (String name : names) {
			if (ClassUtils.isPresent(name, classLoader)
					&& ClassUtils.resolveClassName(name, classLoader).isAssignableFrom(type)) {
				return true;
			}
		}
		return false;
	}

	private static DistributedLockDeclarationException unsupported(String description, String problem,
			String action) {
		return new DistributedLockDeclarationException(description, problem, action, null);
	}

}
