package dev.redlock.spring.internal;

import org.aopalliance.aop.Advice;

import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;

/**
 * Advises {@link dev.redlock.spring.DistributedLock @DistributedLock} methods. An
 * infrastructure bean, so the auto-proxy creator that Spring Boot's AOP auto-configuration
 * registers (honouring {@code spring.aop.auto} and {@code spring.aop.proxy-target-class}), or
 * the one of {@code @EnableTransactionManagement}, applies it; no AspectJ needed.
 */
public final class DistributedLockAdvisor extends AbstractPointcutAdvisor {

	private final DistributedLockPointcut pointcut;

	private final DistributedLockInterceptor interceptor;

	/**
	 * @param pointcut the locked methods
	 * @param interceptor locks them
	 * @param order the advisor's order; lower runs further outside, and by default it runs
	 * outside {@code @Transactional}
	 */
	public DistributedLockAdvisor(DistributedLockPointcut pointcut, DistributedLockInterceptor interceptor, int order) {
		this.pointcut = pointcut;
		this.interceptor = interceptor;
		setOrder(order);
	}

	@Override
	public Pointcut getPointcut() {
		return this.pointcut;
	}

	@Override
	public Advice getAdvice() {
		return this.interceptor;
	}

}
