package dev.redlock.internal;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Argument checks with messages that say what was wrong and what is allowed. */
public final class Validation {

	/**
	 * The longest resource name, in bytes of UTF-8: Redis would take keys up to 512 MB, but every
	 * operation sends the names to every node, and a name this long is a mistake, not a key.
	 */
	public static final int MAX_RESOURCE_BYTES = 64 * 1024;

	/** The longest ttl: a lock meant to outlive a year is not a lease, and longer ones overflow. */
	public static final Duration MAX_TTL = Duration.ofDays(365);

	/** How much of a resource name an error message shows. */
	private static final int SHOWN_CHARS = 64;

	private Validation() {
	}

	/**
	 * A non-empty list of distinct resource names, copied. A name may hold any Unicode text,
	 * control characters and NUL included, since Redis keys are binary-safe; it must not be
	 * blank, nor hold a lone surrogate (UTF-8 cannot encode one, so two different names could
	 * end up as the same key), nor exceed {@link #MAX_RESOURCE_BYTES}, nor start with
	 * {@link FenceKeys#PREFIX}, where the fencing counters live, nor with
	 * {@link WaitingLines#PREFIX}, where the waiting lines do.
	 */
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
			long bytes = utf8Length(resource, i);
			if (bytes > MAX_RESOURCE_BYTES) {
				throw new IllegalArgumentException("resources[" + i + "] is " + bytes + " bytes long in UTF-8, over the limit of "
						+ MAX_RESOURCE_BYTES + " bytes (64 KiB): '" + shown(resource) + "'");
			}
			if (resource.startsWith(FenceKeys.PREFIX)) {
				throw new IllegalArgumentException("resources[" + i + "] starts with '" + FenceKeys.PREFIX + "', which is "
						+ "reserved for fencing counters: '" + shown(resource) + "'; choose another name");
			}
			if (resource.startsWith(WaitingLines.PREFIX)) {
				throw new IllegalArgumentException("resources[" + i + "] starts with '" + WaitingLines.PREFIX + "', which is "
						+ "reserved for waiting lines: '" + shown(resource) + "'; choose another name");
			}
			if (!seen.add(resource)) {
				throw new IllegalArgumentException("resources[" + i + "] repeats '" + shown(resource) + "': each resource can be locked once");
			}
		}
		return List.copyOf(resources);
	}

	/**
	 * A ttl long enough to leave some validity after the clock drift allowance, and at most {@link #MAX_TTL}.
	 * Redis counts it in whole milliseconds, and so does the validity: the sub-millisecond
	 * part of a ttl is dropped.
	 */
	public static Duration ttl(Duration ttl, double driftFactor) {
		Objects.requireNonNull(ttl, "ttl must not be null");
		if (ttl.isNegative() || ttl.isZero()) {
			throw new IllegalArgumentException("ttl must be positive, but was " + ttl);
		}
		if (ttl.compareTo(MAX_TTL) > 0) {
			throw new IllegalArgumentException("ttl must be at most " + MAX_TTL.toDays() + " days, but was " + ttl);
		}
		Lease lease = Lease.of(ttl, driftFactor);
		if (lease.ttlNanos() <= lease.driftNanos()) {
			throw new IllegalArgumentException("ttl " + ttl.toMillis() + " ms is not longer than the clock drift allowance "
					+ "(ttl × driftFactor " + driftFactor + " + 2 ms): the lock would never be valid");
		}
		return ttl;
	}

	/** A wait bound of zero (one attempt) or more; a huge one means no bound. */
	public static Duration maxWait(Duration maxWait) {
		Objects.requireNonNull(maxWait, "maxWait must not be null");
		if (maxWait.isNegative()) {
			throw new IllegalArgumentException("maxWait must be zero (one attempt) or positive, but was " + maxWait);
		}
		return maxWait;
	}

	/**
	 * {@code start + duration} on the {@link System#nanoTime()} scale, saturated at
	 * {@link Long#MAX_VALUE} (which stands for "never") instead of overflowing.
	 */
	static long deadline(long start, Duration duration) {
		long nanos;
		try {
			nanos = duration.toNanos();
		}
		catch (ArithmeticException ex) {
			return Long.MAX_VALUE;
		}
		long deadline = start + nanos;
		return (nanos > 0 && deadline < start) ? Long.MAX_VALUE : deadline;
	}

	/** The UTF-8 length of {@code text}, refusing lone surrogates, which UTF-8 cannot encode. */
	private static long utf8Length(String text, int index) {
		long bytes = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < 0x80) {
				bytes += 1;
			}
			else if (c < 0x800) {
				bytes += 2;
			}
			else if (!Character.isSurrogate(c)) {
				bytes += 3;
			}
			else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
				bytes += 4;
				i++;
			}
			else {
				throw new IllegalArgumentException(String.format("resources[%d] holds a lone surrogate \\u%04X at index %d: it is "
						+ "not valid Unicode and has no UTF-8 form, so it cannot be a Redis key; decode binary names "
						+ "with ISO-8859-1 or encode them as hex or Base64", index, (int) c, i));
			}
		}
		return bytes;
	}

	/** The start of a name, for messages: a name may be 64 KiB long. */
	private static String shown(String resource) {
		return (resource.length() <= SHOWN_CHARS) ? resource
				: resource.substring(0, SHOWN_CHARS) + "...(" + resource.length() + " chars)";
	}

}
