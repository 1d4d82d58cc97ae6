package dev.redlock.benchmarks.aspect;

import java.time.Duration;
import java.util.List;

import dev.redlock.Redlock;
import dev.redlock.spring.boot.RedlockAutoConfiguration;
import dev.redlock.spring.boot.RedlockClientResourcesBuilderCustomizer;
import dev.redlock.spring.boot.RedlockMetricsAutoConfiguration;
import dev.redlock.spring.boot.RedlockObservationAutoConfiguration;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A Spring Boot application with the starter on the nodes of a run, no larger than the
 * aspect needs: no web server, Redlock's auto-configuration (which brings the aspect and its
 * auto-proxying) and one {@link LockedService}. Every {@link AspectContender} locks through
 * its one Redlock bean, with its connections and client resources.
 */
public final class AspectApplication implements AutoCloseable {

	/** {@code redlock.key-prefix}; the direct call puts it before its key too. */
	private static final String KEY_PREFIX = "bench:aspect:";

	/** The direct call's ttl: the annotation's, parsed as the starter parses it. */
	private static final Duration TTL = DurationStyle.detectAndParse(LockedService.TTL);

	private final ConfigurableApplicationContext context;

	private final Redlock redlock;

	private final LockedService service;

	/** The same application with meters and observations, or {@code null}. */
	private final AspectApplication observed;

	private AspectApplication(ConfigurableApplicationContext context, AspectApplication observed) {
		this.context = context;
		this.redlock = context.getBean(Redlock.class);
		this.service = context.getBean(LockedService.class);
		this.observed = observed;
	}

	/**
	 * Starts the application on {@code uris}.
	 * @throws IllegalStateException if the annotated bean came out unproxied: the aspect
	 * would then not run, and the scenario would time an empty method
	 */
	public static AspectApplication start(List<String> uris) {
		AspectApplication observed = start(uris, ObservedConfig.class, null);
		try {
			return start(uris, Config.class, observed);
		}
		catch (RuntimeException ex) {
			observed.close();
			throw ex;
		}
	}

	private static AspectApplication start(List<String> uris, Class<?> config, AspectApplication observed) {
		// logback.xml already keeps the libraries quiet; Boot would only configure logging
		// again for every context it starts, and leave a shutdown handler behind each time.
		System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
		ConfigurableApplicationContext context = new SpringApplicationBuilder(config)
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.registerShutdownHook(false)
			.properties("redlock.nodes=" + String.join(",", uris), "redlock.key-prefix=" + KEY_PREFIX)
			.run();
		AspectApplication application = new AspectApplication(context, observed);
		if (!AopUtils.isAopProxy(application.service)) {
			application.close();
			throw new IllegalStateException("LockedService is not proxied: @DistributedLock would not run");
		}
		return application;
	}

	/**
	 * One operation of {@code contender}: a call that acquires and releases one lock, on a key
	 * of the contender's own that nobody else wants.
	 */
	public Runnable operation(AspectContender contender) {
		String key = contender.id();
		return switch (contender) {
			case CORE_DIRECT -> {
				String redisKey = KEY_PREFIX + key;
				yield () -> this.redlock.acquire(List.of(redisKey), TTL, Duration.ZERO).release();
			}
			case ASPECT -> () -> this.service.lock(key);
			case ASPECT_AUTO_EXTEND -> () -> this.service.lockAutoExtended(key);
			case ASPECT_OBSERVED -> {
				LockedService observedService = this.observed.service;
				yield () -> observedService.lock(key);
			}
		};
	}

	/** Closes the contexts, and with them the Redlock beans and their client resources. */
	@Override
	public void close() {
		this.context.close();
		if (this.observed != null) {
			this.observed.close();
		}
	}

	/** Only the starter's auto-configuration: no other library in this jar may add beans or aspects. */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(RedlockAutoConfiguration.class)
	static class Config {

		@Bean
		LockedService lockedService() {
			return new LockedService();
		}

	}

	/**
	 * The same with the starter's meters and observations: a meter registry, and an observation
	 * registry that times every observation, as Spring Boot's actuator sets it up.
	 */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ RedlockAutoConfiguration.class, RedlockMetricsAutoConfiguration.class,
			RedlockObservationAutoConfiguration.class })
	static class ObservedConfig {

		@Bean
		LockedService lockedService() {
			return new LockedService();
		}

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		/**
		 * Replaces the starter's Lettuce command observations (which this jar would get, having
		 * no Spring Boot Data Redis module): they time every Redis command, which is the
		 * client's cost, not the aspect's. {@code -Dbenchmarks.lettuce-observations=true}
		 * keeps them, to see what they cost.
		 */
		@Bean
		@ConditionalOnProperty(name = "benchmarks.lettuce-observations", havingValue = "false", matchIfMissing = true)
		RedlockClientResourcesBuilderCustomizer redlockLettuceObservation() {
			return (builder) -> {
			};
		}

		@Bean
		ObservationRegistry observationRegistry(SimpleMeterRegistry meters) {
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
			return registry;
		}

	}

}
