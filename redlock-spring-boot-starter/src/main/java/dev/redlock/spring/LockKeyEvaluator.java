package dev.redlock.spring;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.expression.AnnotatedElementKey;
import org.springframework.context.expression.BeanFactoryResolver;
import org.springframework.context.expression.CachedExpressionEvaluator;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.expression.EvaluationContext;
import org.springframework.expression.Expression;
import org.springframework.expression.spel.standard.SpelExpressionParser;

/**
 * Parses key expressions once per method, target class and expression, and evaluates them
 * against a call, with the variables of Spring's cache annotations.
 */
final class LockKeyEvaluator extends CachedExpressionEvaluator {

	private final Map<ExpressionKey, Expression> expressions = new ConcurrentHashMap<>(64);

	private final BeanFactoryResolver beanResolver;

	LockKeyEvaluator(SpelExpressionParser parser, BeanFactory beanFactory) {
		super(parser);
		this.beanResolver = (beanFactory != null) ? new BeanFactoryResolver(beanFactory) : null;
	}

	/**
	 * The parsed expression, parsed on first use only.
	 * @throws org.springframework.expression.ParseException if it is not valid SpEL
	 */
	Expression parse(AnnotatedElementKey methodKey, String expression) {
		return getExpression(this.expressions, methodKey, expression);
	}

	/** A context with the call's arguments as {@code #name}, {@code #p0} and {@code #a0}. */
	EvaluationContext createContext(LockOperation operation, Object[] args, Object target, Class<?> targetClass) {
		LockExpressionRootObject root = new LockExpressionRootObject(operation.method(), args, target, targetClass);
		MethodBasedEvaluationContext context = new MethodBasedEvaluationContext(root, operation.method(), args,
				getParameterNameDiscoverer());
		if (this.beanResolver != null) {
			context.setBeanResolver(this.beanResolver);
		}
		return context;
	}

}
