package dev.redlock.spring.internal;

import java.lang.reflect.Method;
import java.util.function.Supplier;

import dev.redlock.spring.DistributedLock;
import dev.redlock.spring.DistributedLockOperationSource;

import org.springframework.aop.ClassFilter;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;

/**
 * Matches the methods that the {@link DistributedLockOperationSource} finds a
 * {@link DistributedLock @DistributedLock} for, however it was declared: on the method, on the
 * interface method it implements, or as a meta-annotation. The advice and the start-up check
 * see the same methods, so a method is never checked but then left unadvised.
 */
public final class DistributedLockPointcut extends StaticMethodMatcherPointcut {

	private final Supplier<DistributedLockOperationSource> operationSource;

	/**
	 * @param operationSource the operation source, looked up when first needed
	 */
	public DistributedLockPointcut(Supplier<DistributedLockOperationSource> operationSource) {
		this.operationSource = operationSource;
		setClassFilter(new CandidateClassFilter());
	}

	/**
	 * Looks for the annotation as the operation source does, and only then asks the source,
	 * which parses and checks it: beans without the annotation, the configuration that
	 * defines the source among them, never make it be created.
	 */
	@Override
	public boolean matches(Method method, Class<?> targetClass) {
		Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
		if (!AnnotatedElementUtils.hasAnnotation(specific, DistributedLock.class)
				&& !AnnotatedElementUtils.hasAnnotation(method, DistributedLock.class)) {
			return false;
		}
		return this.operationSource.get().isLocked(method, targetClass);
	}

	/** Leaves out the classes that cannot carry the annotation, such as those of the JDK. */
	private static final class CandidateClassFilter implements ClassFilter {

		@Override
		public boolean matches(Class<?> type) {
			return AnnotationUtils.isCandidateClass(type, DistributedLock.class);
		}

	}

}
