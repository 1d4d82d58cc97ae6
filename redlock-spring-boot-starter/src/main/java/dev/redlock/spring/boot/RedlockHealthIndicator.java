package dev.redlock.spring.boot;

import java.time.Duration;

import dev.redlock.Redlock;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Whether Redlock can lock, on Spring Boot 4: {@code UP} while a quorum of its nodes answers
 * {@code PING}, {@code DOWN} otherwise. A node down is not a failure of Redlock as long as the
 * quorum stands, so a degraded cluster stays {@code UP} with a {@code warning} detail saying
 * how many nodes are down and how many more failures it tolerates.
 *
 * <p>
 * Details: {@code quorum}, {@code nodesUp}, {@code nodesTotal}, and {@code nodes}, which maps
 * every node, as {@link Redlock#nodes()} names it (without credentials), to {@code "up"} or
 * {@code "down: <error>"}. Error texts have any {@code //user:password@} part masked, since
 * health details may be shown to anyone who can reach the endpoint. On Spring Boot 3.5 the
 * same check is reported by {@code Boot3RedlockHealthIndicator}.
 */
public class RedlockHealthIndicator implements HealthIndicator {

	private final RedlockHealthCheck check;

	/**
	 * @param redlock the Redlock whose nodes to check
	 * @param timeout how long one check waits for the nodes at most; the endpoint must answer
	 * even if something below Redlock hangs, so keep it a little above the command timeout
	 */
	public RedlockHealthIndicator(Redlock redlock, Duration timeout) {
		this.check = new RedlockHealthCheck(redlock, timeout);
	}

	@Override
	public Health health() {
		RedlockHealthCheck.Result result = this.check.check();
		return ((result.up()) ? Health.up() : Health.down()).withDetails(result.details()).build();
	}

}
