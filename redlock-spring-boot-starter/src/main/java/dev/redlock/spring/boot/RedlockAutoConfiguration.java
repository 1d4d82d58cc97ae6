package dev.redlock.spring.boot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.redlock.Redlock;
import dev.redlock.RedlockBuilder;
import dev.redlock.RedlockListener;
import dev.redlock.spring.ActiveLocks;
import dev.redlock.spring.DistributedLock;
import dev.redlock.spring.DistributedLockMethodValidator;
import dev.redlock.spring.DistributedLockObserver;
import dev.redlock.spring.DistributedLockOperationSource;
import dev.redlock.spring.DistributedLockSupport;
import dev.redlock.spring.DistributedLockTemplate;
import dev.redlock.spring.internal.DistributedLockAdvisor;
import dev.redlock.spring.internal.DistributedLockInterceptor;
import dev.redlock.spring.internal.DistributedLockPointcut;
import dev.redlock.spring.internal.RedlockRuntimeHints;
import dev.redlock.spring.internal.TransactionLockCheckPostProcessor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.transaction.ConfigurableTransactionManager;

/**
 * Auto-configuration of a {@link Redlock} on the nodes listed in {@code redlock.nodes}, of the
 * {@link DistributedLock @DistributedLock} advisor and the {@link DistributedLockTemplate}.
 * {@code redlock.enabled=false} turns all of it off. What differs between Spring Boot 3.5 and 4
 * (health, Spring Data Redis's customizers) is in auto-configurations of its own, one per line.
 */
@AutoConfiguration
@ConditionalOnClass({ Redlock.class, RedisClient.class })
@ConditionalOnBooleanProperty(name = "redlock.enabled", matchIfMissing = true)
@EnableConfigurationProperties(RedlockProperties.class)
public final class RedlockAutoConfiguration {

	/** The node used when {@code redlock.nodes} is empty. */
	static final String DEFAULT_NODE = "redis://localhost:6379";

	private static final Log logger = LogFactory.getLog(RedlockAutoConfiguration.class);

	/**
	 * How much longer than the command timeout a health check waits: a ping settles within
	 * the command timeout, and this leaves room for a busy machine.
	 */
	static final Duration HEALTH_CHECK_MARGIN = Duration.ofSeconds(1);

	/**
	 * Not a default candidate, so it never competes with the {@link ClientResources} of
	 * Spring Data Redis for injection by type. Reconnects fast, unlike Lettuce's default, so a
	 * restarted node votes again within a second. The application's Spring Data Redis
	 * customizers come in as one of the customizers, from the auto-configuration of its line.
	 */
	@Bean(destroyMethod = "shutdown", defaultCandidate = false)
	@ConditionalOnMissingBean(name = "redlockClientResources")
	ClientResources redlockClientResources(ObjectProvider<RedlockClientResourcesBuilderCustomizer> customizers) {
		ClientResources.Builder builder = DefaultClientResources.builder()
			.reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS));
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder.build();
	}

	@Bean
	@ConditionalOnMissingBean
	RedlockConnectionDetails redlockConnectionDetails(RedlockProperties properties, ObjectProvider<SslBundles> sslBundles) {
		return new PropertiesRedlockConnectionDetails(properties, sslBundles.getIfAvailable());
	}

	/** The locks this instance holds, for the actuator endpoint and the names of metrics. */
	@Bean
	@ConditionalOnMissingBean
	ActiveLocks redlockActiveLocks() {
		return new ActiveLocks();
	}

	@Bean
	@ConditionalOnMissingBean
	Redlock redlock(RedlockProperties properties, RedlockConnectionDetails connectionDetails,
			@Qualifier("redlockClientResources") ClientResources clientResources,
			ObjectProvider<RedlockClientCustomizer> customizers, ObjectProvider<RedlockListener> listeners) {
		List<String> nodes = nodes(connectionDetails.getNodes());
		List<RedlockClientCustomizer> clientCustomizers = new ArrayList<>();
		SslBundle sslBundle = connectionDetails.getSslBundle();
		if (sslBundle != null) {
			clientCustomizers.add(new SslBundleCustomizer(sslBundle));
		}
		customizers.orderedStream().forEach(clientCustomizers::add);
		List<RedlockListener> redlockListeners = listeners.orderedStream().toList();
		RedlockBuilder builder = Redlock.builder()
			.nodes(nodes)
			.driftFactor(properties.getDriftFactor())
			.retryDelay(properties.getRetry().getDelay())
			.retryJitter(properties.getRetry().getJitter())
			.commandTimeout(properties.getCommandTimeout())
			.automaticExtensionThreshold(properties.getAutomaticExtensionThreshold())
			.releaseNotifications(properties.isReleaseNotifications())
			.replicaAcknowledgements(properties.getReplicaAcknowledgements())
			.clientResources(clientResources)
			.clientCustomizer((client) -> clientCustomizers.forEach((customizer) -> customizer.customize(client)))
			.clusterClientCustomizer((client) -> clientCustomizers.forEach((customizer) -> customizer.customize(client)));
		if (!redlockListeners.isEmpty()) {
			builder.listener(new RedlockListeners(redlockListeners));
		}
		Redlock redlock;
		try {
			redlock = builder.build();
		}
		catch (IllegalArgumentException ex) {
			// The properties were checked already: this is what only the builder knows about.
			throw BuilderFailures.builderFailure(properties, nodes, ex.getMessage());
		}
		logStartup(redlock);
		NodeStartupCheck.check(redlock, properties.getCommandTimeout().plus(HEALTH_CHECK_MARGIN));
		return redlock;
	}

	private static List<String> nodes(List<String> configured) {
		if (configured.isEmpty()) {
			logger.warn("redlock.nodes is not set: locking on " + DEFAULT_NODE + " alone. A single node tolerates no "
					+ "failure; list 3 or 5 independent Redis masters in redlock.nodes");
			return List.of(DEFAULT_NODE);
		}
		List<String> nodes = new ArrayList<>();
		configured.forEach((node) -> nodes.add(node.strip()));
		return nodes;
	}

	private static void logStartup(Redlock redlock) {
		int size = redlock.nodes().size();
		int tolerated = size - redlock.quorum();
		logger.info("Redlock on " + size + ((size == 1) ? " node " : " nodes ") + redlock.nodes() + ", quorum "
				+ redlock.quorum() + ", tolerates " + tolerated + ((tolerated == 1) ? " failure" : " failures"));
		if (tolerated == 0 && size > 1) {
			logger.warn("Redlock on " + size + " nodes tolerates no failure: use an odd number of nodes, 3 or 5");
		}
	}

	/**
	 * The {@code @DistributedLock} advisor, applied by whichever auto-proxy creator the
	 * application has, the template, and the start-up check that no annotated method is left
	 * unadvised.
	 */
	@Configuration(proxyBeanMethods = false)
	@ImportRuntimeHints(RedlockRuntimeHints.class)
	static class DistributedLockConfiguration {

		@Bean
		@ConditionalOnMissingBean
		DistributedLockOperationSource distributedLockOperationSource(RedlockProperties properties,
				ConfigurableListableBeanFactory beanFactory) {
			return new DistributedLockOperationSource(properties.getKeyPrefix(), properties.getDefaultTtl(),
					properties.getDefaultWaitTime(), properties.getOnLost(), beanFactory);
		}

		@Bean
		@ConditionalOnMissingBean
		DistributedLockSupport distributedLockSupport(Redlock redlock, DistributedLockOperationSource operationSource,
				ApplicationEventPublisher eventPublisher, RedlockProperties properties,
				ObjectProvider<DistributedLockObserver> observers) {
			DistributedLockSupport support = new DistributedLockSupport(redlock, operationSource, eventPublisher);
			support.setObservers(observers.orderedStream().toList());
			support.setHoldUntilTransactionCompletion(properties.getTransaction().isHoldUntilCompletion());
			support.setCheckNodesBeforeCommit(properties.getTransaction().isCheckNodes());
			return support;
		}

		/**
		 * Static and lazy in what it needs, so that the auto-proxy creator can fetch it early
		 * without creating the Redlock, which connects to the nodes.
		 */
		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		@ConditionalOnMissingBean
		static DistributedLockAdvisor distributedLockAdvisor(ObjectProvider<DistributedLockOperationSource> operationSource,
				ObjectProvider<DistributedLockSupport> support, Environment environment) {
			int order = Binder.get(environment)
				.bind("redlock.aspect.order", Integer.class)
				.orElse(new RedlockProperties().getAspect().getOrder());
			return new DistributedLockAdvisor(new DistributedLockPointcut(operationSource::getObject),
					new DistributedLockInterceptor(support::getObject), order);
		}

		/**
		 * Where nothing else registered an auto-proxy creator (no AspectJ on the classpath and
		 * {@code spring.aop.proxy-target-class=false}), registers the infrastructure one, which
		 * proxies with interfaces where a bean has them. Leaves {@code spring.aop.auto=false}
		 * alone: then the start fails if an annotated bean is left unproxied.
		 */
		@Bean
		static BeanFactoryPostProcessor distributedLockAutoProxyCreatorRegistrar(Environment environment) {
			return (beanFactory) -> {
				boolean auto = Binder.get(environment).bind("spring.aop.auto", Boolean.class).orElse(true);
				if (auto && beanFactory instanceof BeanDefinitionRegistry registry
						&& !registry.containsBeanDefinition(AopConfigUtils.AUTO_PROXY_CREATOR_BEAN_NAME)) {
					AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
				}
			};
		}

		@Bean
		@ConditionalOnMissingBean
		DistributedLockTemplate distributedLockTemplate(DistributedLockSupport support) {
			return new DistributedLockTemplate(support);
		}

		@Bean
		@ConditionalOnMissingBean
		DistributedLockMethodValidator distributedLockMethodValidator(ConfigurableListableBeanFactory beanFactory,
				DistributedLockOperationSource operationSource, ObjectProvider<DistributedLockSupport> support) {
			return new DistributedLockMethodValidator(beanFactory, operationSource,
					(names) -> support.ifAvailable((available) -> available.declared(names)));
		}

	}

	/**
	 * Has every transaction that begins under a lock check that lock before it commits.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ConfigurableTransactionManager.class)
	static class DistributedLockTransactionConfiguration {

		@Bean
		@ConditionalOnMissingBean
		static TransactionLockCheckPostProcessor transactionLockCheckPostProcessor(Environment environment) {
			return new TransactionLockCheckPostProcessor(
					Binder.get(environment).bind("redlock.transaction.check-nodes", Boolean.class).orElse(false));
		}

	}

}
