package dev.redlock.benchmarks.aspect;

import dev.redlock.spring.DistributedLock;

/**
 * The annotated bean of the aspect scenario. Its methods do nothing, so that a call costs
 * the aspect and the lock it takes, and nothing else. Public and not final: Spring proxies it
 * by subclassing, as it does any bean without interfaces in a Spring Boot application.
 */
public class LockedService {

	/** The ttl of every lock of the scenario, as the annotation spells it. */
	static final String TTL = "10s";

	/**
	 * Locks {@code key} for the call: one attempt, no automatic extension.
	 * @param key the lock's name, after {@code redlock.key-prefix}
	 */
	@DistributedLock(key = "#key", ttl = TTL, waitTime = "0", autoExtend = false)
	public void lock(String key) {
		// Empty on purpose: the work under measurement is the lock around the call.
	}

	/**
	 * Locks {@code key} for the call with the annotation's default automatic extension.
	 * @param key the lock's name, after {@code redlock.key-prefix}
	 */
	@DistributedLock(key = "#key", ttl = TTL, waitTime = "0")
	public void lockAutoExtended(String key) {
		// Empty on purpose, as above: the call returns long before any extension would be due.
	}

}
