package dev.redlock.spring.boot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import dev.redlock.Redlock;
import dev.redlock.RedlockListener;
import dev.redlock.spring.DistributedLockMethodValidator;
import dev.redlock.spring.DistributedLockOperationSource;
import dev.redlock.spring.DistributedLockSupport;
import dev.redlock.spring.DistributedLockTemplate;
import dev.redlock.spring.internal.DistributedLockAdvisor;
import dev.redlock.spring.internal.DistributedLockInterceptor;
import dev.redlock.spring.internal.DistributedLockPointcut;
import dev.redlock.testkit.RedisServersExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.resource.ClientResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the auto-configuration defines, when it backs off, and what it logs.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedlockAutoConfigurationTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RedlockAutoConfiguration.class));

	@Test
	void definesRedlockAndTheAspectOnTheConfiguredNodes() {
		this.runner.withPropertyValues(nodes()).run((context) -> {
			assertThat(context).hasSingleBean(Redlock.class)
				.hasSingleBean(RedlockProperties.class)
				.hasSingleBean(DistributedLockAdvisor.class)
				.hasSingleBean(DistributedLockTemplate.class)
				.hasSingleBean(DistributedLockSupport.class)
				.hasSingleBean(DistributedLockOperationSource.class)
				.hasSingleBean(DistributedLockMethodValidator.class)
				.hasBean("redlockClientResources");
			Redlock redlock = context.getBean(Redlock.class);
			assertThat(redlock.nodes()).containsExactlyElementsOf(redis.uris());
			assertThat(redlock.quorum()).isEqualTo(2);
			assertThat(context.getBean(DistributedLockAdvisor.class).getOrder()).isEqualTo(Ordered.LOWEST_PRECEDENCE - 100);
		});
	}

	@Test
	void bindsEveryProperty() {
		this.runner
			.withPropertyValues("redlock.drift-factor=0.02", "redlock.retry.delay=50ms", "redlock.retry.jitter=0",
					"redlock.default-ttl=1m", "redlock.default-wait-time=0", "redlock.key-prefix=app:",
					"redlock.command-timeout=2s", "redlock.automatic-extension-threshold=1s",
					"redlock.release-notifications=false", "redlock.aspect.order=42")
			.withPropertyValues(nodes())
			.run((context) -> {
				RedlockProperties properties = context.getBean(RedlockProperties.class);
				assertThat(properties.getNodes()).containsExactlyElementsOf(redis.uris());
				assertThat(properties.getDriftFactor()).isEqualTo(0.02);
				assertThat(properties.getRetry().getDelay()).isEqualTo(Duration.ofMillis(50));
				assertThat(properties.getRetry().getJitter()).isZero();
				assertThat(properties.getDefaultTtl()).isEqualTo(Duration.ofMinutes(1));
				assertThat(properties.getDefaultWaitTime()).isZero();
				assertThat(properties.getKeyPrefix()).isEqualTo("app:");
				assertThat(properties.getCommandTimeout()).isEqualTo(Duration.ofSeconds(2));
				assertThat(properties.getAutomaticExtensionThreshold()).isEqualTo(Duration.ofSeconds(1));
				assertThat(properties.isReleaseNotifications()).isFalse();
				assertThat(context.getBean(DistributedLockAdvisor.class).getOrder()).isEqualTo(42);
			});
	}

	@Test
	void hasTheDocumentedDefaults() {
		RedlockProperties properties = new RedlockProperties();
		assertThat(properties.isEnabled()).isTrue();
		assertThat(properties.getNodes()).isEmpty();
		assertThat(properties.getDriftFactor()).isEqualTo(0.01);
		assertThat(properties.getRetry().getDelay()).isEqualTo(Duration.ofMillis(200));
		assertThat(properties.getRetry().getJitter()).isEqualTo(Duration.ofMillis(100));
		assertThat(properties.getDefaultTtl()).isEqualTo(Duration.ofSeconds(30));
		assertThat(properties.getDefaultWaitTime()).isEqualTo(Duration.ofSeconds(10));
		assertThat(properties.getKeyPrefix()).isEqualTo("locks:");
		assertThat(properties.getCommandTimeout()).isEqualTo(Duration.ofMillis(500));
		assertThat(properties.getAutomaticExtensionThreshold()).isEqualTo(Duration.ofMillis(500));
		assertThat(properties.isReleaseNotifications()).isTrue();
		assertThat(properties.getAspect().getOrder()).isEqualTo(Ordered.LOWEST_PRECEDENCE - 100);
	}

	@Test
	void logsTheNodesQuorumAndToleranceOnce(CapturedOutput output) {
		this.runner.withPropertyValues(nodes()).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output).containsOnlyOnce("Redlock on 3 nodes " + redis.uris() + ", quorum 2, tolerates 1 failure");
		});
	}

	@Test
	void fallsBackToLocalhostAndWarnsThatOneNodeToleratesNoFailure(CapturedOutput output) {
		this.runner.withPropertyValues("redlock.release-notifications=false").run((context) -> {
			assertThat(context.getBean(Redlock.class).nodes()).containsExactly("redis://localhost:6379");
			assertThat(output).contains("WARN").contains("redlock.nodes is not set").contains("tolerates no failure");
			assertThat(output).contains("Redlock on 1 node [redis://localhost:6379], quorum 1, tolerates 0 failures");
		});
	}

	@Test
	void neverLogsCredentials(CapturedOutput output) {
		this.runner.withPropertyValues("redlock.nodes[0]=redis://user:s3cret@" + redis.uris().get(0).substring(8))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).contains("Redlock on 1 node").doesNotContain("s3cret");
			});
	}

	@Test
	void backsOffFromAUserDefinedRedlock() {
		this.runner.withPropertyValues(nodes()).withUserConfiguration(UserRedlock.class).run((context) -> {
			assertThat(context).hasSingleBean(Redlock.class).hasBean("userRedlock").doesNotHaveBean("redlock");
			assertThat(context).hasSingleBean(DistributedLockAdvisor.class);
		});
	}

	@Test
	void backsOffFromUserDefinedAdvisorBeans() {
		this.runner.withPropertyValues(nodes()).withUserConfiguration(UserAdvisor.class).run((context) -> {
			assertThat(context).hasSingleBean(DistributedLockAdvisor.class).hasBean("userAdvisor");
			assertThat(context.getBean(DistributedLockAdvisor.class).getOrder()).isEqualTo(7);
			assertThat(context).hasSingleBean(DistributedLockOperationSource.class).hasBean("userOperationSource");
		});
	}

	@Test
	void usesUserDefinedClientResourcesAndLeavesThemRunning() {
		AtomicReference<ClientResources> resources = new AtomicReference<>();
		this.runner.withPropertyValues(nodes()).withUserConfiguration(UserClientResources.class).run((context) -> {
			resources.set(context.getBean("redlockClientResources", ClientResources.class));
			assertThat(context.getBean(Redlock.class).nodes()).hasSize(3);
		});
		assertThat(resources.get().eventExecutorGroup().isShuttingDown()).isFalse();
		resources.get().shutdown();
	}

	@Test
	void shutsItsClientResourcesDownWithTheContext() {
		AtomicReference<ClientResources> resources = new AtomicReference<>();
		this.runner.withPropertyValues(nodes()).run((context) -> {
			resources.set(context.getBean("redlockClientResources", ClientResources.class));
			assertThat(resources.get().eventExecutorGroup().isShuttingDown()).isFalse();
		});
		await().atMost(Duration.ofSeconds(20)).until(() -> resources.get().eventExecutorGroup().isShuttingDown());
	}

	@Test
	void appliesEveryClientCustomizerToEveryNodeClient() {
		this.runner.withPropertyValues(nodes()).withUserConfiguration(Customizers.class).run((context) -> {
			context.getBean(Redlock.class);
			assertThat(context.getBean(Customizers.class).customized).hasSize(6)
				.allSatisfy((client) -> assertThat(client).isInstanceOf(RedisClient.class));
		});
	}

	@Test
	void passesNodeErrorsToRedlockListenerBeans() {
		this.runner.withPropertyValues(nodes()).withUserConfiguration(Listeners.class).run((context) -> {
			redis.get(0).kill();
			context.getBean(Redlock.class).tryAcquire("locks:listened", Duration.ofSeconds(5)).orElseThrow().release();
			Listeners listeners = context.getBean(Listeners.class);
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
				assertThat(listeners.first).isNotEmpty();
				assertThat(listeners.second).isNotEmpty();
			});
			assertThat(listeners.first).allMatch(redis.uris().get(0)::equals);
		});
	}

	@Test
	void isOffWhenDisabled() {
		this.runner.withPropertyValues(nodes()).withPropertyValues("redlock.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed()
				.doesNotHaveBean(Redlock.class)
				.doesNotHaveBean(RedlockProperties.class)
				.doesNotHaveBean(DistributedLockAdvisor.class)
				.doesNotHaveBean("redlockClientResources");
		});
	}

	@Test
	void needsNoAspectJ() {
		this.runner.withPropertyValues(nodes())
			.withClassLoader(new FilteredClassLoader("org.aspectj"))
			.run((context) -> assertThat(context).hasSingleBean(Redlock.class)
				.hasSingleBean(DistributedLockAdvisor.class)
				.hasSingleBean(DistributedLockSupport.class));
	}

	@Test
	void isOffWithoutLettuce() {
		this.runner.withPropertyValues(nodes())
			.withClassLoader(new FilteredClassLoader(RedisClient.class))
			.run((context) -> assertThat(context).doesNotHaveBean(Redlock.class).doesNotHaveBean(RedlockProperties.class));
	}

	private static String[] nodes() {
		List<String> properties = new ArrayList<>();
		for (int i = 0; i < redis.size(); i++) {
			properties.add("redlock.nodes[" + i + "]=" + redis.uris().get(i));
		}
		return properties.toArray(String[]::new);
	}

	@Configuration(proxyBeanMethods = false)
	static class UserRedlock {

		@Bean(destroyMethod = "close")
		Redlock userRedlock() {
			return Redlock.builder().nodes(redis.uris()).build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserAdvisor {

		@Bean
		static DistributedLockAdvisor userAdvisor(ObjectProvider<DistributedLockOperationSource> operationSource,
				ObjectProvider<DistributedLockSupport> support) {
			return new DistributedLockAdvisor(new DistributedLockPointcut(operationSource::getObject),
					new DistributedLockInterceptor(support::getObject), 7);
		}

		@Bean
		DistributedLockOperationSource userOperationSource() {
			return new DistributedLockOperationSource("mine:", Duration.ofSeconds(5), Duration.ZERO, null);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserClientResources {

		@Bean(destroyMethod = "")
		ClientResources redlockClientResources() {
			return ClientResources.create();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Customizers {

		final List<RedisClient> customized = new CopyOnWriteArrayList<>();

		@Bean
		RedlockClientCustomizer first() {
			return this.customized::add;
		}

		@Bean
		RedlockClientCustomizer second() {
			return this.customized::add;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		final List<String> first = new CopyOnWriteArrayList<>();

		final List<String> second = new CopyOnWriteArrayList<>();

		@Bean
		RedlockListener firstListener() {
			return new RedlockListener() {

				@Override
				public void onClientError(String node, Throwable error) {
					Listeners.this.first.add(node);
					throw new IllegalStateException("a listener that throws must not keep the event from the others");
				}

			};
		}

		@Bean
		RedlockListener secondListener() {
			return new RedlockListener() {

				@Override
				public void onClientError(String node, Throwable error) {
					Listeners.this.second.add(node);
				}

			};
		}

	}

}
