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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import dev.redlock.spring.LockOperation.Returns;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.EmbeddedValueResolver;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.expression.AnnotatedElementKey;
import org.springframework.core.MethodClassKey;
import org.springframework.core.MethodIntrospector;
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

	private static final boolean reactorPresent = ClassUtils.isPresent("reactor.core.publisher.Mono",
			DistributedLockOperationSource.class.getClassLoader());

	private final String keyPrefix;

	private final Duration defaultTtl;

	private final Duration defaultWaitTime;

	private final LockKeyEvaluator evaluator;

	private final StringValueResolver valueResolver;

	private final ConversionService conversionService;

	private final Map<MethodClassKey, Optional<LockOperation>> operations = new ConcurrentHashMap<>(64);

	/**
	 * @param keyPrefix put before every evaluated key
	 * @param defaultTtl the ttl of annotations that set none
	 * @param defaultWaitTime the wait time of annotations that set none
	 * @param beanFactory resolves {@code ${placeholders}} in durations and {@code @beanName}
	 * in keys, and provides the conversion service for keys that are not strings
	 */
	public DistributedLockOperationSource(String keyPrefix, Duration defaultTtl, Duration defaultWaitTime,
			BeanFactory beanFactory) {
		this(keyPrefix, defaultTtl, defaultWaitTime, beanFactory, new SpelExpressionParser());
	}

	DistributedLockOperationSource(String keyPrefix, Duration defaultTtl, Duration defaultWaitTime,
			BeanFactory beanFactory, SpelExpressionParser parser) {
		this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix must not be null");
		this.defaultTtl = Objects.requireNonNull(defaultTtl, "defaultTtl must not be null");
		this.defaultWaitTime = Objects.requireNonNull(defaultWaitTime, "defaultWaitTime must not be null");
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
	 * @throws IllegalStateException naming the method and what is wrong with it
	 */
	public void validate(Class<?> targetClass) {
		if (!AnnotationUtils.isCandidateClass(targetClass, DistributedLock.class)) {
			return;
		}
		Map<Method, DistributedLock> annotated = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<DistributedLock>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, DistributedLock.class));
		annotated.keySet().forEach((method) -> getOperation(method, targetClass));
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
			throw invalid(description, "needs at least one key, for example key = \"'report:' + #day\"", null);
		}
		AnnotatedElementKey methodKey = new AnnotatedElementKey(specific, targetClass);
		List<Expression> keys = new ArrayList<>();
		for (String key : annotation.key()) {
			if (key == null || key.isBlank()) {
				throw invalid(description, "has a blank key expression", null);
			}
			try {
				keys.add(this.evaluator.parse(methodKey, key));
			}
			catch (ParseException ex) {
				throw invalid(description, "has a key expression that is not valid SpEL: \"" + key + "\" ("
						+ ex.getMessage() + "); a literal needs quotes, as in \"'nightly-report'\"", ex);
			}
		}
		Duration ttl = duration(description, "ttl", annotation.ttl(), this.defaultTtl);
		if (ttl.isNegative() || ttl.isZero()) {
			throw invalid(description, "has a ttl of " + ttl + "; it must be positive", null);
		}
		Duration waitTime = duration(description, "waitTime", annotation.waitTime(), this.defaultWaitTime);
		if (waitTime.isNegative()) {
			throw invalid(description, "has a waitTime of " + waitTime + "; it must be zero (one attempt) or positive",
					null);
		}
		Class<?> returnType = specific.getReturnType();
		if (annotation.ifLocked() == IfLocked.SKIP && returnType.isPrimitive() && returnType != void.class) {
			throw invalid(description, "returns " + returnType + ", which a skipped call cannot return; "
					+ "return a wrapper type, an Optional or void, or use IfLocked.FAIL", null);
		}
		return new LockOperation(specific, methodKey, description, List.of(annotation.key()), List.copyOf(keys), ttl,
				waitTime, annotation.autoExtend(), annotation.ifLocked(), returns(returnType));
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
					+ ex.getMessage(), ex);
		}
		if (resolved == null || resolved.isBlank()) {
			return fallback;
		}
		try {
			return DurationStyle.detectAndParse(resolved.strip());
		}
		catch (IllegalArgumentException ex) {
			String shown = resolved.equals(text) ? "\"" + text + "\"" : "\"" + text + "\" (resolved to \"" + resolved + "\")";
			throw invalid(description, "has " + attribute + " = " + shown + ", which is not a duration; use a form "
					+ "such as 10s, 500ms, 2m or PT10S", ex);
		}
	}

	private static Returns returns(Class<?> returnType) {
		if (reactorPresent) {
			Returns reactive = ReactiveLocking.returns(returnType);
			if (reactive != null) {
				return reactive;
			}
		}
		if (CompletionStage.class.isAssignableFrom(returnType)) {
			return Returns.COMPLETION_STAGE;
		}
		return (returnType == Optional.class) ? Returns.OPTIONAL : Returns.VALUE;
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

	private static IllegalStateException invalid(String description, String problem, Throwable cause) {
		return new IllegalStateException("@DistributedLock on " + description + " " + problem, cause);
	}

}
