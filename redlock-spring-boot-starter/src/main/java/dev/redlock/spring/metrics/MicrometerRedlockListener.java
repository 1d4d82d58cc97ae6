package dev.redlock.spring.metrics;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.redlock.LockHandle;
import dev.redlock.RedlockException;
import dev.redlock.RedlockListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts what the core reports: {@code redlock.extend} by {@code outcome}
 * ({@code success}, {@code failure}), {@code redlock.lost}, both by {@code name}, and
 * {@code redlock.node.errors} by {@code node}. The starter registers one; with the core alone,
 * pass one to the builder:
 *
 * <pre>{@code
 * Redlock redlock = Redlock.builder()
 *     .nodes(nodes)
 *     .listener(new MicrometerRedlockListener(meterRegistry))
 *     .build();
 * new RedlockNodeMeters(redlock).bindTo(meterRegistry);
 * }</pre>
 */
public final class MicrometerRedlockListener implements RedlockListener {

	static final String EXTEND_DESCRIPTION = "Extensions of held locks, by outcome";

	static final String LOST_DESCRIPTION = "Locks lost while held";

	static final String NODE_ERRORS_DESCRIPTION = "Errors, timeouts and unreachable connections of a node";

	/** The name of locks whose name is not known. */
	public static final String UNNAMED = "unnamed";

	private final MeterRegistry registry;

	private final Function<LockHandle, String> names;

	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	/** Names every lock {@value #UNNAMED}. */
	public MicrometerRedlockListener(MeterRegistry registry) {
		this(registry, (lock) -> null);
	}

	/**
	 * @param registry where the meters go
	 * @param names the {@code name} tag of a lock ({@code null} for {@value #UNNAMED}): a
	 * bounded value, never the lock's keys
	 */
	public MicrometerRedlockListener(MeterRegistry registry, Function<LockHandle, String> names) {
		this.registry = Objects.requireNonNull(registry, "registry must not be null");
		this.names = Objects.requireNonNull(names, "names must not be null");
	}

	@Override
	public void onLockExtended(LockHandle lock, RedlockException failure) {
		String name = nameOf(lock);
		String outcome = (failure == null) ? "success" : "failure";
		counter("redlock.extend", "name", name, "outcome", outcome).increment();
	}

	@Override
	public void onLockLost(LockHandle lock, RedlockException cause) {
		counter("redlock.lost", "name", nameOf(lock), null, null).increment();
	}

	@Override
	public void onClientError(String node, Throwable error) {
		counter("redlock.node.errors", "node", node, null, null).increment();
	}

	private String nameOf(LockHandle lock) {
		String name = this.names.apply(lock);
		return (name != null) ? name : UNNAMED;
	}

	private Counter counter(String meter, String tag, String value, String tag2, String value2) {
		String id = meter + '\u0000' + value + '\u0000' + value2;
		return this.counters.computeIfAbsent(id, (ignored) -> {
			Counter.Builder builder = Counter.builder(meter).description(description(meter)).tag(tag, value);
			if (tag2 != null) {
				builder.tag(tag2, value2);
			}
			return builder.register(this.registry);
		});
	}

	private static String description(String meter) {
		return switch (meter) {
			case "redlock.extend" -> EXTEND_DESCRIPTION;
			case "redlock.lost" -> LOST_DESCRIPTION;
			default -> NODE_ERRORS_DESCRIPTION;
		};
	}

}
