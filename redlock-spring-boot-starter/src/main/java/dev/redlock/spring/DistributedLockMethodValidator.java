package dev.redlock.spring;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.aop.framework.autoproxy.AutoProxyUtils;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Reads every {@link DistributedLock @DistributedLock} method of every bean once all
 * singletons exist, so that an invalid key expression or duration fails the application's
 * start, naming the method, rather than its first call.
 */
public final class DistributedLockMethodValidator implements SmartInitializingSingleton {

	private final ConfigurableListableBeanFactory beanFactory;

	private final DistributedLockOperationSource operationSource;

	private final Set<Class<?>> checked = Collections.newSetFromMap(new ConcurrentHashMap<>(64));

	/**
	 * @param beanFactory whose bean definitions to check
	 * @param operationSource reads and caches the annotations
	 */
	public DistributedLockMethodValidator(ConfigurableListableBeanFactory beanFactory,
			DistributedLockOperationSource operationSource) {
		this.beanFactory = Objects.requireNonNull(beanFactory, "beanFactory must not be null");
		this.operationSource = Objects.requireNonNull(operationSource, "operationSource must not be null");
	}

	/**
	 * @throws IllegalStateException naming the first invalid method
	 */
	@Override
	public void afterSingletonsInstantiated() {
		for (String beanName : this.beanFactory.getBeanDefinitionNames()) {
			if (ScopedProxyUtils.isScopedTarget(beanName)) {
				continue;
			}
			Class<?> type = targetClass(beanName);
			if (type != null && this.checked.add(type)) {
				this.operationSource.validate(type);
			}
		}
	}

	private Class<?> targetClass(String beanName) {
		try {
			return AutoProxyUtils.determineTargetClass(this.beanFactory, beanName);
		}
		catch (RuntimeException ex) {
			// A bean whose type cannot be told without creating it is checked on first call.
			return null;
		}
	}

}
