package dev.redlock.spring;

import java.lang.reflect.Method;
import java.util.Objects;

import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.aspectj.lang.reflect.MethodSignature;

import org.springframework.core.Ordered;

/**
 * Applies {@link DistributedLock @DistributedLock}; the work is done by
 * {@link DistributedLockSupport}. Its order ({@code redlock.aspect.order}) decides what it
 * wraps: by default it runs outside {@code @Transactional}, whose interceptor has the lowest
 * precedence, so that a lock is released only after the transaction has committed.
 */
@Aspect
public final class DistributedLockAspect implements Ordered {

	private final DistributedLockSupport support;

	private final int order;

	/**
	 * @param support does the locking
	 * @param order the aspect's order; lower runs further outside
	 */
	public DistributedLockAspect(DistributedLockSupport support, int order) {
		this.support = Objects.requireNonNull(support, "support must not be null");
		this.order = order;
	}

	/**
	 * Runs the annotated method under its lock.
	 * @param joinPoint the call
	 * @return what the method returned
	 * @throws Throwable what the method threw, untouched
	 */
	@Around("@annotation(dev.redlock.spring.DistributedLock)")
	public Object lock(ProceedingJoinPoint joinPoint) throws Throwable {
		Method method = ((MethodSignature) joinPoint.getSignature()).getMethod();
		return this.support.invoke(method, joinPoint.getTarget(), joinPoint.getArgs(), joinPoint::proceed);
	}

	@Override
	public int getOrder() {
		return this.order;
	}

}
