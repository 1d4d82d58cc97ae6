package dev.redlock.spring.metrics;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.redlock.AcquisitionEvent;
import dev.redlock.LockHandle;
import dev.redlock.RedlockException;
import dev.redlock.RedlockListener;
import dev.redlock.spring.LockOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Turns what the core reports into meters: {@code redlock.acquire}, a timer of how long each
 * acquisition waited, by {@code name} and {@code outcome} ({@code acquired},
 * {@code held-by-another}, {@code quorum-unreachable}, {@code validity-exhausted},
 * {@code error}); {@code redlock.held}, a long-task timer of how long locks are held and how
 * many are held now, by {@code name}, counting a lock until it is released or lost, or its
 * validity runs out (a lock acquired without automatic extension and never released);
 * {@code redlock.extend} by {@code name} and {@code outcome} ({@code success},
 * {@code failure}); {@code redlock.lost} by {@code name};
 * and {@code redlock.node.errors} by {@code node}. With the core alone, pass one to the
 * builder; no Spring context is needed:
 *
 * <pre>{@code
 * Redlock redlock = Redlock.builder()
 *     .nodes(nodes)
 *     .listener(new MicrometerRedlockListener(meterRegistry, "payments"))
 *     .build();
 * new RedlockNodeMeters(redlock).bindTo(meterRegistry);
 * }</pre>
 *
 * The {@code name} is never a key (keys are unbounded): a fixed name, or one a function derives
 * from the resources with few distinct values. In a Spring application the starter registers
 * one that leaves the annotated methods and the template to their own observer, so that no
 * acquisition is counted twice, and names the locks taken on the {@code Redlock} bean
 * {@code Redlock bean}.
 */
public final class MicrometerRedlockListener implements RedlockListener {

	static final String EXTEND_DESCRIPTION = "Extensions of held locks, by outcome";

	static final String LOST_DESCRIPTION = "Locks lost while held";

	static final String NODE_ERRORS_DESCRIPTION = "Errors, timeouts and unreachable connections of a node";

	/** The name of every lock when none is given. */
	public static final String DEFAULT_NAME = "redlock";

	/** The outcomes an acquisition on the core can have; joined and skipped are the starter's. */
	private static final LockOutcome[] CORE_OUTCOMES = { LockOutcome.ACQUIRED, LockOutcome.HELD_BY_ANOTHER,
			LockOutcome.QUORUM_UNREACHABLE, LockOutcome.VALIDITY_EXHAUSTED, LockOutcome.ERROR };

	private final MeterRegistry registry;

	private final Function<LockHandle, String> lockNames;

	private final Function<List<String>, String> names;

	private final Predicate<AcquisitionEvent> timed;

	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	private final Map<String, AcquisitionMeters> acquisitionMeters = new ConcurrentHashMap<>();

	/** The held locks' samples, by lock token. */
	private final Map<String, HeldSample> held = new ConcurrentHashMap<>();

	/** Names every lock {@value #DEFAULT_NAME}. */
	public MicrometerRedlockListener(MeterRegistry registry) {
		this(registry, DEFAULT_NAME);
	}

	/**
	 * @param registry where the meters go
	 * @param name the {@code name} tag of every lock
	 */
	public MicrometerRedlockListener(MeterRegistry registry, String name) {
		this(registry, constant(name));
	}

	/**
	 * @param registry where the meters go
	 * @param names the {@code name} tag of a lock, from its resources ({@code null} for
	 * {@value #DEFAULT_NAME}): a bounded value, never the resources themselves
	 */
	public MicrometerRedlockListener(MeterRegistry registry, Function<List<String>, String> names) {
		this(registry, (lock) -> null, names, (event) -> true);
	}

	private MicrometerRedlockListener(MeterRegistry registry, Function<LockHandle, String> lockNames,
			Function<List<String>, String> names, Predicate<AcquisitionEvent> timed) {
		this.registry = Objects.requireNonNull(registry, "registry must not be null");
		this.lockNames = Objects.requireNonNull(lockNames, "lockNames must not be null");
		this.names = Objects.requireNonNull(names, "names must not be null");
		this.timed = Objects.requireNonNull(timed, "timed must not be null");
	}

	/**
	 * For an application whose locked calls are timed elsewhere (the starter's observer):
	 * extensions and losses are named by the lock, acquisitions are timed only when
	 * {@code timed} says so.
	 * @param lockNames the name of a lock, or {@code null} for {@code otherName}
	 * @param otherName the name of every other lock and acquisition
	 * @param timed which acquisitions to time in {@code redlock.acquire} and {@code redlock.held}
	 */
	public static MicrometerRedlockListener forLockedCalls(MeterRegistry registry, Function<LockHandle, String> lockNames,
			String otherName, Predicate<AcquisitionEvent> timed) {
		return new MicrometerRedlockListener(registry, lockNames, constant(otherName), timed);
	}

	private static Function<List<String>, String> constant(String name) {
		Objects.requireNonNull(name, "name must not be null");
		return (resources) -> name;
	}

	@Override
	public void onAcquisition(AcquisitionEvent event) {
		if (!this.timed.test(event)) {
			return;
		}
		AcquisitionMeters meters = acquisitionMeters(nameOf(event.resources()));
		LockOutcome outcome = (event.lock() != null) ? LockOutcome.ACQUIRED : LockOutcome.of(event.failure());
		meters.acquire.get(outcome).record(event.waited());
		LockHandle lock = event.lock();
		if (lock == null || !lock.isHeld()) {
			return;
		}
		String token = lock.value();
		// A lock that runs out unreleased gets no onLockEnded: its sample forgets it itself.
		HeldSample sample = HeldSample.start(meters.held, lock, (expired) -> this.held.remove(token, expired));
		this.held.put(token, sample);
		// Released before this event arrived: its onLockEnded may have come first.
		if (!lock.isHeld() && this.held.remove(token, sample)) {
			sample.stop();
		}
	}

	@Override
	public void onLockEnded(LockHandle lock, Duration heldFor) {
		HeldSample sample = this.held.remove(lock.value());
		if (sample != null) {
			sample.stop();
		}
	}

	@Override
	public void onLockExtended(LockHandle lock, RedlockException failure) {
		String outcome = (failure == null) ? "success" : "failure";
		counter("redlock.extend", "name", nameOf(lock), "outcome", outcome).increment();
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
		String name = this.lockNames.apply(lock);
		return (name != null) ? name : nameOf(lock.resources());
	}

	private String nameOf(List<String> resources) {
		String name = this.names.apply(resources);
		return (name != null) ? name : DEFAULT_NAME;
	}

	private AcquisitionMeters acquisitionMeters(String name) {
		AcquisitionMeters existing = this.acquisitionMeters.get(name);
		return (existing != null) ? existing : this.acquisitionMeters.computeIfAbsent(name, this::register);
	}

	/** All outcomes of a name at once, so that dashboards show zeros for those not seen yet. */
	private AcquisitionMeters register(String name) {
		Map<LockOutcome, Timer> acquire = new EnumMap<>(LockOutcome.class);
		for (LockOutcome outcome : CORE_OUTCOMES) {
			acquire.put(outcome, Timer.builder(MicrometerLockObserver.ACQUIRE)
				.description("How long acquisitions waited for their lock, by outcome")
				.tag("name", name)
				.tag("outcome", outcome.tag())
				.register(this.registry));
		}
		LongTaskTimer held = LongTaskTimer.builder(MicrometerLockObserver.HELD)
			.description("How long locks are held, and how many are held now")
			.tag("name", name)
			.register(this.registry);
		return new AcquisitionMeters(acquire, held);
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

	private record AcquisitionMeters(Map<LockOutcome, Timer> acquire, LongTaskTimer held) {
	}

}
