package dev.redlock.spring;

import java.io.Closeable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

import dev.redlock.spring.internal.DistributedLockAdvisor;

import org.springframework.aop.config.AopConfigUtils;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.ProxyConfig;
import org.springframework.aop.framework.autoproxy.AutoProxyUtils;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.PropertyValue;
import org.springframework.beans.factory.Aware;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;
import org.springframework.util.ObjectUtils;

/**
 * Once all singletons exist, checks every {@link DistributedLock @DistributedLock} method of
 * every bean: that its annotation can be read (keys, durations, return type), and that the
 * bean's proxy really applies it. A method that would run without its lock fails the
 * application's start, naming the method, rather than running unlocked.
 */
public final class DistributedLockMethodValidator implements SmartInitializingSingleton {

	private static final String ENABLE_PROXYING = "let Spring Boot's AOP auto-configuration register an auto-proxy "
			+ "creator (remove spring.aop.auto=false), or register one with @EnableAspectJAutoProxy or "
			+ "@EnableTransactionManagement";

	private final ConfigurableListableBeanFactory beanFactory;

	private final DistributedLockOperationSource operationSource;

	private final Consumer<Set<String>> declared;

	/**
	 * @param beanFactory whose bean definitions to check
	 * @param operationSource reads and caches the annotations
	 */
	public DistributedLockMethodValidator(ConfigurableListableBeanFactory beanFactory,
			DistributedLockOperationSource operationSource) {
		this(beanFactory, operationSource, (names) -> {
		});
	}

	/**
	 * @param beanFactory whose bean definitions to check
	 * @param operationSource reads and caches the annotations
	 * @param declared told the names of all annotated methods once they are checked, so that
	 * their meters exist before the first call
	 */
	public DistributedLockMethodValidator(ConfigurableListableBeanFactory beanFactory,
			DistributedLockOperationSource operationSource, Consumer<Set<String>> declared) {
		this.beanFactory = Objects.requireNonNull(beanFactory, "beanFactory must not be null");
		this.operationSource = Objects.requireNonNull(operationSource, "operationSource must not be null");
		this.declared = Objects.requireNonNull(declared, "declared must not be null");
	}

	/**
	 * @throws DistributedLockDeclarationException naming the first method that cannot be locked
	 */
	@Override
	public void afterSingletonsInstantiated() {
		for (String beanName : this.beanFactory.getBeanDefinitionNames()) {
			if (ScopedProxyUtils.isScopedTarget(beanName)) {
				continue;
			}
			Class<?> type = targetClass(beanName);
			if (type == null) {
				continue;
			}
			Set<Method> locked = this.operationSource.validate(type);
			if (!locked.isEmpty()) {
				Object instance = this.beanFactory.containsSingleton(beanName) ? this.beanFactory.getSingleton(beanName)
						: null;
				checkAdvised(beanName, type, locked, (instance instanceof FactoryBean<?>) ? null : instance);
			}
		}
		this.declared.accept(this.operationSource.names());
	}

	private void checkAdvised(String beanName, Class<?> type, Set<Method> locked, Object instance) {
		boolean classProxied = (instance != null) ? AopUtils.isCglibProxy(instance)
				: willBeClassProxied(beanName, type);
		for (Method method : locked) {
			String description = ClassUtils.getQualifiedMethodName(method, type);
			int modifiers = method.getModifiers();
			if (Modifier.isPrivate(modifiers) || Modifier.isStatic(modifiers)) {
				throw new DistributedLockDeclarationException(description, "is " + (Modifier.isPrivate(modifiers)
						? "private" : "static") + ", and a proxy only advises calls to instance methods it can override",
						"make the method public and call it on the bean, not on 'this'", null);
			}
			if (Modifier.isFinal(modifiers) && classProxied) {
				throw new DistributedLockDeclarationException(description, "is final, and bean '" + beanName
						+ "' is proxied by subclassing, which cannot override a final method",
						"remove the final modifier", null);
			}
		}
		if (instance != null && !advisedByRedlock(instance)) {
			throw new DistributedLockDeclarationException(ClassUtils.getQualifiedMethodName(locked.iterator().next(),
					type), "would run without its lock: bean '" + beanName + "' is not proxied with the Redlock "
							+ "advisor, as no auto-proxy creator is registered", ENABLE_PROXYING, null);
		}
		if (instance == null && !this.beanFactory.containsBean(AopConfigUtils.AUTO_PROXY_CREATOR_BEAN_NAME)) {
			throw new DistributedLockDeclarationException(ClassUtils.getQualifiedMethodName(locked.iterator().next(),
					type), "would run without its lock: no auto-proxy creator is registered to proxy bean '"
							+ beanName + "'", ENABLE_PROXYING, null);
		}
	}

	/**
	 * For a bean that does not exist yet (lazy, prototype, scoped), whether the auto-proxy
	 * creator will proxy it by subclassing, deciding as it does: always when it proxies target
	 * classes ({@code spring.aop.proxy-target-class=true}, Spring Boot's default), when the
	 * bean definition asks to preserve the target class (a class-based scoped proxy), and
	 * otherwise when the class has no interface worth proxying.
	 */
	private boolean willBeClassProxied(String beanName, Class<?> type) {
		if (proxiesTargetClass() || AutoProxyUtils.shouldProxyTargetClass(this.beanFactory, beanName)) {
			return true;
		}
		String scopedTarget = ScopedProxyUtils.getTargetBeanName(beanName);
		if (this.beanFactory.containsBeanDefinition(scopedTarget)
				&& AutoProxyUtils.shouldProxyTargetClass(this.beanFactory, scopedTarget)) {
			return true;
		}
		for (Class<?> ifc : ClassUtils.getAllInterfacesForClassAsSet(type)) {
			if (isProxyableInterface(ifc)) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Whether the auto-proxy creator proxies target classes: what the created one says, or
	 * else what its bean definition sets.
	 */
	private boolean proxiesTargetClass() {
		String name = AopConfigUtils.AUTO_PROXY_CREATOR_BEAN_NAME;
		if (this.beanFactory.containsSingleton(name)
				&& this.beanFactory.getSingleton(name) instanceof ProxyConfig autoProxyCreator) {
			return autoProxyCreator.isProxyTargetClass();
		}
		if (this.beanFactory.containsBeanDefinition(name)) {
			PropertyValue value = this.beanFactory.getBeanDefinition(name)
				.getPropertyValues()
				.getPropertyValue("proxyTargetClass");
			return value != null && Boolean.parseBoolean(String.valueOf(value.getValue()));
		}
		return false;
	}

	/**
	 * Whether the auto-proxy creator would proxy through {@code ifc}: the same test as
	 * {@code ProxyProcessorSupport.evaluateProxyInterfaces}, which leaves out container
	 * callbacks, language-internal markers and interfaces without methods.
	 */
	private static boolean isProxyableInterface(Class<?> ifc) {
		boolean callback = InitializingBean.class == ifc || DisposableBean.class == ifc || Closeable.class == ifc
				|| AutoCloseable.class == ifc || ObjectUtils.containsElement(ifc.getInterfaces(), Aware.class);
		String name = ifc.getName();
		boolean internal = name.equals("groovy.lang.GroovyObject") || name.endsWith(".cglib.proxy.Factory")
				|| name.endsWith(".bytebuddy.MockAccess");
		return !callback && !internal && ifc.getMethods().length > 0;
	}

	private static boolean advisedByRedlock(Object instance) {
		if (instance instanceof Advised advised) {
			for (var advisor : advised.getAdvisors()) {
				if (advisor instanceof DistributedLockAdvisor) {
					return true;
				}
			}
		}
		return false;
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
