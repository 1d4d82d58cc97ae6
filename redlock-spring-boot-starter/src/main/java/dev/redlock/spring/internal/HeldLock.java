package dev.redlock.spring.internal;

import java.time.Duration;
import java.util.List;

import dev.redlock.Lock;

/**
 * A lock held for a locked method or template call.
 *
 * @param keys the Redis keys, prefix included
 * @param lock the lock
 * @param ttl the ttl it was acquired with
 * @param description the method or call, as named in messages
 */
public record HeldLock(List<String> keys, Lock lock, Duration ttl, String description) {

	/** Whether this lock covers every one of {@code others}. */
	boolean covers(List<String> others) {
		return this.keys.containsAll(others);
	}

}
