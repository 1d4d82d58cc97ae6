package dev.redlock.internal;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Argument checks with messages that say what was wrong and what is allowed. */
public final class Validation {

	private Validation() {
	}

	/** A non-empty list of distinct, non-blank resource names, copied. */
	public static List<String> resources(List<String> resources) {
		Objects.requireNonNull(resources, "resources must not be null");
		if (resources.isEmpty()) {
			throw new IllegalArgumentException("resources must name at least one resource to lock");
		}
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < resources.size(); i++) {
			String resource = resources.get(i);
			if (resource == null || resource.isBlank()) {
				throw new IllegalArgumentException("resources[" + i + "] must not be " + ((resource == null) ? "null" : "empty or blank"));
			}
			if (!seen.add(resource)) {
				throw new IllegalArgumentException("resources[" + i + "] repeats '" + resource + "': each resource can be locked once");
			}
		}
		return List.copyOf(resources);
	}

	/** A ttl long enough to leave some validity after the clock drift allowance. */
	public static Duration ttl(Duration ttl, Settings settings) {
		Objects.requireNonNull(ttl, "ttl must not be null");
		if (ttl.isNegative() || ttl.isZero()) {
			throw new IllegalArgumentException("ttl must be positive, but was " + ttl);
		}
		if (ttl.toNanos() <= settings.driftNanos(ttl.toNanos())) {
			throw new IllegalArgumentException("ttl " + ttl.toMillis() + " ms is not longer than the clock drift allowance "
					+ "(ttl × driftFactor " + settings.driftFactor() + " + 2 ms): the lock would never be valid");
		}
		return ttl;
	}

	/** A wait bound of zero (one attempt) or more. */
	public static Duration maxWait(Duration maxWait) {
		Objects.requireNonNull(maxWait, "maxWait must not be null");
		if (maxWait.isNegative()) {
			throw new IllegalArgumentException("maxWait must be zero (one attempt) or positive, but was " + maxWait);
		}
		return maxWait;
	}

}
