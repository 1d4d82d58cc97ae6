package dev.redlock.spring.internal;

import java.util.function.Supplier;

import dev.redlock.spring.DistributedLockSupport;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

/**
 * The advice of {@link dev.redlock.spring.DistributedLock @DistributedLock} methods: hands the
 * call to {@link DistributedLockSupport}, which does the locking.
 */
public final class DistributedLockInterceptor implements MethodInterceptor {

	private final Supplier<DistributedLockSupport> support;

	/**
	 * @param support does the locking, looked up on the first call so that creating the
	 * advisor does not connect to Redis
	 */
	public DistributedLockInterceptor(Supplier<DistributedLockSupport> support) {
		this.support = support;
	}

	@Override
	public Object invoke(MethodInvocation invocation) throws Throwable {
		return this.support.get().invoke(invocation.getMethod(), invocation.getThis(), invocation.getArguments(),
				invocation::proceed);
	}

}
