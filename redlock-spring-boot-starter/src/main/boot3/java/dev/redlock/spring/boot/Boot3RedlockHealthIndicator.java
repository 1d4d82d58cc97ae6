package dev.redlock.spring.boot;

import java.time.Duration;

import dev.redlock.Redlock;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Whether Redlock can lock, on Spring Boot 3.5: what {@link RedlockHealthIndicator} reports on
 * Spring Boot 4 (the same status and details), in the health types of Spring Boot 3.
 */
public class Boot3RedlockHealthIndicator implements HealthIndicator {

	private final RedlockHealthCheck check;

	/**
	 * @param redlock the Redlock whose nodes to check
	 * @param timeout how long one check waits for the nodes at most; the endpoint must answer
	 * even if something below Redlock hangs, so keep it a little above the command timeout
	 */
	public Boot3RedlockHealthIndicator(Redlock redlock, Duration timeout) {
		this.check = new RedlockHealthCheck(redlock, timeout);
	}

	@Override
	public Health health() {
		RedlockHealthCheck.Result result = this.check.check();
		return ((result.up()) ? Health.up() : Health.down()).withDetails(result.details()).build();
	}

}
