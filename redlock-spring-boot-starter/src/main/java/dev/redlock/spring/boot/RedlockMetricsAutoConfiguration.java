package dev.redlock.spring.boot;

import dev.redlock.Redlock;
import dev.redlock.spring.ActiveLocks;
import dev.redlock.spring.metrics.MicrometerLockObserver;
import dev.redlock.spring.metrics.MicrometerRedlockListener;
import dev.redlock.spring.metrics.RedlockNodeMeters;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Redlock's Micrometer meters, where the application has a {@link MeterRegistry}:
 * {@code redlock.acquire}, {@code redlock.held}, {@code redlock.extend}, {@code redlock.lost},
 * {@code redlock.node.errors} and {@code redlock.node.up}.
 */
@AutoConfiguration(after = RedlockAutoConfiguration.class, afterName = {
		// Spring Boot 4
		"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
		// Spring Boot 3.5
		"org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
		"org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
		"org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, Redlock.class })
public final class RedlockMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	MicrometerLockObserver redlockMicrometerLockObserver(MeterRegistry registry) {
		return new MicrometerLockObserver(registry);
	}

	/**
	 * Names the core's extension and loss events after the locked call holding the lock, and
	 * times the acquisitions made directly on the {@code Redlock} bean: the locked calls' are
	 * timed by the observer above, and counted once.
	 */
	@Bean
	@ConditionalOnMissingBean
	MicrometerRedlockListener redlockMicrometerListener(MeterRegistry registry, ActiveLocks activeLocks) {
		return MicrometerRedlockListener.forLockedCalls(registry, activeLocks::nameOf, ActiveLocks.REDLOCK_BEAN,
				(event) -> !ActiveLocks.isLockedCall(event));
	}

	@Bean
	@ConditionalOnMissingBean
	RedlockNodeMeters redlockNodeMeters(Redlock redlock) {
		return new RedlockNodeMeters(redlock);
	}

}
