package dev.redlock.spring;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.EmbeddedValueResolver;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.expression.AnnotatedElementKey;
import org.springframework.core.MethodClassKey;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.support.DefaultConversionService;
import org.springframework.expression.EvaluationContext;
import org.springframework.expression.EvaluationException;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringValueResolver;

/**
 * Reads {@link DistributedLock @DistributedLock} methods once: parses their key expressions
 * and durations, checks them, and caches the result per method and target class, so that a
 * call only evaluates already parsed expressions. Then resolves the Redis keys of each call.
 */
public final class DistributedLockOperationSource {

	private final String keyPrefix;

	private final Duration defaultTtl;

	private final Duration defaultWaitTime;

	private final OnLost defaultOnLost;

	private final ReturnTypes returnTypes = new ReturnTypes(ReactiveAdapterRegistry.getSharedInstance());

	private final LockKeyEvaluator evaluator;

	private final StringValueResolver valueResolver;

	private final ConversionService conversionService;

	private final Map<MethodClassKey, Optional<LockOperation>> operations = new ConcurrentHashMap<>(64);

	private final Set<String> names = ConcurrentHashMap.newKeySet();

	/**
	 * @param keyPrefix put before every evaluated key
	 * @param defaultTtl the ttl of annotations that set none
	 * @param defaultWaitTime the wait time of annotations that set none
	 * @param beanFactory resolves {@code ${placeholders}} in durations and {@code @beanName}
	 * in keys, and provides the conversion service for keys that are not strings
	 */
	public DistributedLockOperationSource(String keyPrefix, Duration defaultTtl, Duration defaultWaitTime,
			BeanFactory beanFactory) {
		this(keyPrefix, defaultTtl, defaultWaitTime, OnLost.LOG, beanFactory);
	}

	/**
	 * @param keyPrefix put before every evaluated key
	 * @param defaultTtl the ttl of annotations that set none
	 * @param defaultWaitTime the wait time of annotations that set none
	 * @param defaultOnLost the lost-lock policy of annotations that set none
	 * @param beanFactory resolves {@code ${placeholders}} in durations and {@code @beanName}
	 * in keys, and provides the conversion service for keys that are not strings
	 */
	public DistributedLockOperationSource(String keyPrefix, Duration defaultTtl, Duration defaultWaitTime,
			OnLost defaultOnLost, BeanFactory beanFactory) {
		this(keyPrefix, defaultTtl, defaultWaitTime, defaultOnLost, beanFactory, new SpelExpressionParser());
	}

	DistributedLockOperationSource(String keyPrefix, Duration defaultTtl, Duration defaultWaitTime,
			OnLost defaultOnLost, BeanFactory beanFactory, SpelExpressionParser parser) {
		this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix must not be null");
		this.defaultTtl = Objects.requireNonNull(defaultTtl, "defaultTtl must not be null");
		this.defaultWaitTime = Objects.requireNonNull(defaultWaitTime, "defaultWaitTime must not be null");
		Objects.requireNonNull(defaultOnLost, "defaultOnLost must not be null");
		this.defaultOnLost = (defaultOnLost != OnLost.DEFAULT) ? defaultOnLost : OnLost.LOG;
		this.evaluator = new LockKeyEvaluator(parser, beanFactory);
		if (beanFactory instanceof ConfigurableBeanFactory configurable) {
			this.valueResolver = new EmbeddedValueResolver(configurable);
			ConversionService conversionService = configurable.getConversionService();
			this.conversionService = (conversionService != null) ? conversionService
					: DefaultConversionService.getSharedInstance();
		}
		else {
			this.valueResolver = (value) -> value;
			this.conversionService = DefaultConversionService.getSharedInstance();
		}
	}

	/**
	 * Reads every {@code @DistributedLock} method of {@code targetClass}, so that a bad
	 * expression or duration fails the start instead of the first call.
	 * @return the annotated methods, as declared on {@code targetClass} or inherited
	 * @throws DistributedLockDeclarationException naming the method and what is wrong with it
	 */
	public Set<Method> validate(Class<?> targetClass) {
		if (!AnnotationUtils.isCandidateClass(targetClass, DistributedLock.class)) {
			return Set.of();
		}
		Map<Method, DistributedLock> annotated = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<DistributedLock>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, DistributedLock.class));
		annotated.keySet().forEach((method) -> getOperation(method, targetClass));
		return annotated.keySet();
	}

	/**
	 * The operation of a {@link DistributedLockTemplate} call: the options, with the defaults
	 * of this source where they set nothing.
	 */
	LockOperation programmatic(DistributedLockOptions options, IfLocked ifLocked) {
		Duration ttl = (options.getTtl() != null) ? options.getTtl() : this.defaultTtl;
		Duration waitTime = (options.getWaitTime() != null) ? options.getWaitTime() : this.defaultWaitTime;
		OnLost onLost = (options.getOnLost() != OnLost.DEFAULT) ? options.getOnLost() : this.defaultOnLost;
		return LockOperation.programmatic("DistributedLockTemplate call on " + options.getKeys(), options.getName(), ttl,
				waitTime, options.isAutoExtend(), ifLocked, onLost);
	}

	/** The Redis keys of {@code keys}: prefixed, without duplicates. */
	List<String> prefixed(List<String> keys) {
		Set<String> prefixed = new LinkedHashSet<>();
		keys.forEach((key) -> prefixed.add(this.keyPrefix + key));
		return List.copyOf(prefixed);
	}

	/**
	 * The names of the annotated methods read so far (every one of them once the
	 * {@link DistributedLockMethodValidator} has run at start-up), as metrics tag them.
	 */
	public Set<String> names() {
		return Set.copyOf(this.names);
	}

	/** Whether {@code method} called on {@code targetClass} carries a lock, reading it on first use. */
	public boolean isLocked(Method method, Class<?> targetClass) {
		return getOperation(method, targetClass) != null;
	}

	/**
	 * The operation of {@code method} called on an instance of {@code targetClass}, read on
	 * first use.
	 * @return the operation, or {@code null} if the method is not annotated
	 */
	LockOperation getOperation(Method method, Class<?> targetClass) {
		MethodClassKey cacheKey = new MethodClassKey(method, targetClass);
		Optional<LockOperation> operation = this.operations.get(cacheKey);
		if (operation == null) {
			// Not computeIfAbsent: reading may fail, and then nothing is cached.
			operation = Optional.ofNullable(read(method, targetClass));
			this.operations.putIfAbsent(cacheKey, operation);
		}
		return operation.orElse(null);
	}

	private LockOperation read(Method method, Class<?> targetClass) {
		Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
		DistributedLock annotation = AnnotatedElementUtils.findMergedAnnotation(specific, DistributedLock.class);
		if (annotation == null) {
			annotation = AnnotatedElementUtils.findMergedAnnotation(method, DistributedLock.class);
		}
		if (annotation == null) {
			return null;
		}
		String description = ClassUtils.getQualifiedMethodName(specific, targetClass);
		if (annotation.key().length == 0) {
			throw invalid(description, "needs at least one key", "for example key = \"'report:' + #day\"", null);
		}
		AnnotatedElementKey methodKey = new AnnotatedElementKey(specific, targetClass);
		List<Expression> keys = new ArrayList<>();
		for (String key : annotation.key()) {
			if (key == null || key.isBlank()) {
				throw invalid(description, "has a blank key expression", "give every key a non-blank expression", null);
			}
			try {
				keys.add(this.evaluator.parse(methodKey, key));
			}
			catch (ParseException ex) {
				throw invalid(description, "has a key expression that is not valid SpEL: \"" + key + "\" ("
						+ ex.getMessage() + ")", "fix the expression; a literal needs quotes, as in \"'nightly-report'\"",
						ex);
			}
		}
		Duration ttl = duration(description, "ttl", annotation.ttl(), this.defaultTtl);
		if (ttl.isNegative() || ttl.isZero()) {
			throw invalid(description, "has a ttl of " + ttl, "it must be positive", null);
		}
		Duration waitTime = duration(description, "waitTime", annotation.waitTime(), this.defaultWaitTime);
		if (waitTime.isNegative()) {
			throw invalid(description, "has a waitTime of " + waitTime,
					"make it zero (one attempt) or positive", null);
		}
		Class<?> returnType = specific.getReturnType();
		if (annotation.ifLocked() == IfLocked.SKIP && returnType.isPrimitive() && returnType != void.class) {
			throw invalid(description, "returns " + returnType + ", which a skipped call cannot return",
					"return a wrapper type, an Optional or void, or use IfLocked.FAIL", null);
		}
		ReturnTypes.Classified returns = this.returnTypes.classify(specific, description);
		OnLost onLost = (annotation.onLost() != OnLost.DEFAULT) ? annotation.onLost() : this.defaultOnLost;
		String name = annotation.name().isBlank() ? targetClass.getSimpleName() + "." + specific.getName()
				: annotation.name().strip();
		this.names.add(name);
		return new LockOperation(specific, methodKey, description, name, List.of(annotation.key()), List.copyOf(keys), ttl,
				waitTime, annotation.autoExtend(), annotation.ifLocked(), onLost, returns.returns(), returns.adapter());
	}

	private Duration duration(String description, String attribute, String text, Duration fallback) {
		if (text.isBlank()) {
			return fallback;
		}
		String resolved;
		try {
			resolved = this.valueResolver.resolveStringValue(text);
		}
		catch (IllegalArgumentException ex) {
			throw invalid(description, "has " + attribute + " = \"" + text + "\", which cannot be resolved: "
					+ ex.getMessage(), "define the property, or give a duration such as 10s", ex);
		}
		if (resolved == null || resolved.isBlank()) {
			return fallback;
		}
		try {
			return DurationStyle.detectAndParse(resolved.strip());
		}
		catch (IllegalArgumentException ex) {
			String shown = resolved.equals(text) ? "\"" + text + "\"" : "\"" + text + "\" (resolved to \"" + resolved + "\")";
			throw invalid(description, "has " + attribute + " = " + shown + ", which is not a duration",
					"use a form such as 10s, 500ms, 2m or PT10S", ex);
		}
	}

	/**
	 * The Redis keys of one call: each expression's value as text, prefixed, without
	 * duplicates, in the order of the expressions.
	 * @throws IllegalArgumentException if an expression fails or yields {@code null} or a blank
	 */
	List<String> resolveKeys(LockOperation operation, Object[] args, Object target, Class<?> targetClass) {
		EvaluationContext context = this.evaluator.createContext(operation, args, target, targetClass);
		Set<String> keys = new LinkedHashSet<>();
		for (int i = 0; i < operation.keys().size(); i++) {
			String expression = operation.keyExpressions().get(i);
			Object value;
			try {
				value = operation.keys().get(i).getValue(context);
			}
			catch (EvaluationException ex) {
				throw new IllegalArgumentException("@DistributedLock key \"" + expression + "\" of "
						+ operation.description() + " could not be evaluated: " + ex.getMessage(), ex);
			}
			String key = (value instanceof String text) ? text : this.conversionService.convert(value, String.class);
			if (key == null || key.isBlank()) {
				throw new IllegalArgumentException("@DistributedLock key \"" + expression + "\" of "
						+ operation.description() + " evaluated to " + ((key == null) ? "null" : "a blank string")
						+ "; a lock needs a non-blank key. If the expression names a parameter (#name), compile with "
						+ "the -parameters flag so that parameter names are kept, or use #p0 / #a0 instead; "
						+ "otherwise check the argument passed");
			}
			keys.add(this.keyPrefix + key);
		}
		return List.copyOf(keys);
	}

	private static DistributedLockDeclarationException invalid(String description, String problem, String action,
			Throwable cause) {
		return new DistributedLockDeclarationException(description, problem, action, cause);
	}

}
