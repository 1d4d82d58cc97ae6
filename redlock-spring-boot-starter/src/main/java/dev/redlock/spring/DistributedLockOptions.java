package dev.redlock.spring;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link DistributedLockTemplate} call locks and how: the attributes of
 * {@link DistributedLock @DistributedLock}, for code that cannot use the annotation. Immutable;
 * every {@code with} method returns a copy.
 *
 * <pre>{@code
 * DistributedLockOptions options = DistributedLockOptions.keys("account:" + id)
 *     .withTtl(Duration.ofSeconds(10))
 *     .withWaitTime(Duration.ofSeconds(3))
 *     .withOnLost(OnLost.INTERRUPT);
 * }</pre>
 */
public final class DistributedLockOptions {

	/** The name of template calls that set none. */
	public static final String DEFAULT_NAME = "DistributedLockTemplate";

	private final List<String> keys;

	private final Duration ttl;

	private final Duration waitTime;

	private final boolean autoExtend;

	private final OnLost onLost;

	private final String name;

	private DistributedLockOptions(List<String> keys, Duration ttl, Duration waitTime, boolean autoExtend,
			OnLost onLost, String name) {
		this.keys = keys;
		this.ttl = ttl;
		this.waitTime = waitTime;
		this.autoExtend = autoExtend;
		this.onLost = onLost;
		this.name = name;
	}

	/**
	 * Options locking {@code keys}, all or nothing, each after {@code redlock.key-prefix},
	 * with the defaults of the properties for everything else.
	 * @param keys the keys, without the prefix
	 * @return the options
	 */
	public static DistributedLockOptions keys(String... keys) {
		Objects.requireNonNull(keys, "keys must not be null");
		if (keys.length == 0) {
			throw new IllegalArgumentException("At least one key is needed");
		}
		for (String key : keys) {
			if (key == null || key.isBlank()) {
				throw new IllegalArgumentException("Keys must not be null or blank: " + List.of(keys));
			}
		}
		return new DistributedLockOptions(List.of(keys), null, null, true, OnLost.DEFAULT, DEFAULT_NAME);
	}

	/** A copy with {@code ttl} as the lock's time to live; {@code null} for {@code redlock.default-ttl}. */
	public DistributedLockOptions withTtl(Duration ttl) {
		if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
			throw new IllegalArgumentException("ttl must be positive: " + ttl);
		}
		return new DistributedLockOptions(this.keys, ttl, this.waitTime, this.autoExtend, this.onLost, this.name);
	}

	/**
	 * A copy that waits up to {@code waitTime} for the lock, zero making one attempt;
	 * {@code null} for {@code redlock.default-wait-time}.
	 */
	public DistributedLockOptions withWaitTime(Duration waitTime) {
		if (waitTime != null && waitTime.isNegative()) {
			throw new IllegalArgumentException("waitTime must not be negative: " + waitTime);
		}
		return new DistributedLockOptions(this.keys, this.ttl, waitTime, this.autoExtend, this.onLost, this.name);
	}

	/** A copy that extends the lock while the work runs, or not. */
	public DistributedLockOptions withAutoExtend(boolean autoExtend) {
		return new DistributedLockOptions(this.keys, this.ttl, this.waitTime, autoExtend, this.onLost, this.name);
	}

	/** A copy with {@code onLost} as what happens when the lock is lost while the work runs. */
	public DistributedLockOptions withOnLost(OnLost onLost) {
		return new DistributedLockOptions(this.keys, this.ttl, this.waitTime, this.autoExtend,
				Objects.requireNonNull(onLost, "onLost must not be null"), this.name);
	}

	/**
	 * A copy named {@code name} in metrics and observations (the {@code name} tag); by default
	 * {@value #DEFAULT_NAME}. A bounded value, such as what the work does, never a key.
	 */
	public DistributedLockOptions withName(String name) {
		if (name == null || name.isBlank()) {
			throw new IllegalArgumentException("name must not be null or blank");
		}
		return new DistributedLockOptions(this.keys, this.ttl, this.waitTime, this.autoExtend, this.onLost, name.strip());
	}

	/** The name in metrics and observations. */
	public String getName() {
		return this.name;
	}

	/** The keys, without the prefix. */
	public List<String> getKeys() {
		return this.keys;
	}

	/** The ttl, or {@code null} for the default. */
	public Duration getTtl() {
		return this.ttl;
	}

	/** The wait time, or {@code null} for the default. */
	public Duration getWaitTime() {
		return this.waitTime;
	}

	/** Whether the lock is extended while the work runs. */
	public boolean isAutoExtend() {
		return this.autoExtend;
	}

	/** What happens when the lock is lost while the work runs. */
	public OnLost getOnLost() {
		return this.onLost;
	}

}
