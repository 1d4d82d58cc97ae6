package dev.redlock.spring.metrics;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import dev.redlock.Lock;
import dev.redlock.spring.DistributedLockObserver;
import dev.redlock.spring.LockOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Times the locked calls of the starter: {@code redlock.acquire}, a timer of how long each
 * call waited for its lock, tagged {@code name} and {@code outcome}, and
 * {@code redlock.held}, a long-task timer of how long locks are held and how many are held
 * now, tagged {@code name}: a lock counts until the call releases it, or until it is lost or its
 * validity runs out, whichever comes first. Never tags a key: keys are unbounded. The meters of a name are
 * created once, at start-up for every annotated method, so dashboards show zeros before the
 * first call.
 */
public final class MicrometerLockObserver implements DistributedLockObserver {

	/** The acquisition timer's name. */
	public static final String ACQUIRE = "redlock.acquire";

	/** The held-locks long-task timer's name. */
	public static final String HELD = "redlock.held";

	private static final LockOutcome[] OUTCOMES = LockOutcome.values();

	private final MeterRegistry registry;

	private final Map<String, Meters> meters = new ConcurrentHashMap<>();

	/** @param registry where the meters go */
	public MicrometerLockObserver(MeterRegistry registry) {
		this.registry = Objects.requireNonNull(registry, "registry must not be null");
	}

	@Override
	public void declared(String name) {
		meters(name);
	}

	@Override
	public Call started(String name, List<String> keys) {
		Meters meters = meters(name);
		Timer.Sample sample = Timer.start(this.registry);
		return new Call() {

			private HeldSample held;

			@Override
			public void acquired(Lock lock) {
				sample.stop(meters.acquire[LockOutcome.ACQUIRED.ordinal()]);
				// Counted until released, or until it is lost or runs out while the call still runs.
				this.held = HeldSample.start(meters.held, lock);
			}

			@Override
			public void notAcquired(LockOutcome outcome, Throwable failure) {
				sample.stop(meters.acquire[outcome.ordinal()]);
			}

			@Override
			public void released() {
				if (this.held != null) {
					this.held.stop();
				}
			}

		};
	}

	private Meters meters(String name) {
		Meters existing = this.meters.get(name);
		return (existing != null) ? existing : this.meters.computeIfAbsent(name, this::register);
	}

	private Meters register(String name) {
		Timer[] acquire = new Timer[OUTCOMES.length];
		for (LockOutcome outcome : OUTCOMES) {
			acquire[outcome.ordinal()] = Timer.builder(ACQUIRE)
				.description("How long locked calls waited for their lock, by outcome")
				.tag("name", name)
				.tag("outcome", outcome.tag())
				.register(this.registry);
		}
		LongTaskTimer held = LongTaskTimer.builder(HELD)
			.description("How long locks are held, and how many are held now")
			.tag("name", name)
			.register(this.registry);
		// The listener's counters of the same name, so that they show zeros too.
		for (String outcome : new String[] { "success", "failure" }) {
			Counter.builder("redlock.extend").description(MicrometerRedlockListener.EXTEND_DESCRIPTION)
				.tag("name", name).tag("outcome", outcome).register(this.registry);
		}
		Counter.builder("redlock.lost").description(MicrometerRedlockListener.LOST_DESCRIPTION).tag("name", name)
			.register(this.registry);
		return new Meters(acquire, held);
	}

	private record Meters(Timer[] acquire, LongTaskTimer held) {
	}

}
