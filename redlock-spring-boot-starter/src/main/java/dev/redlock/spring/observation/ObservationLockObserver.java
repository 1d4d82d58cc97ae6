package dev.redlock.spring.observation;

import java.util.List;
import java.util.Objects;

import dev.redlock.Lock;
import dev.redlock.spring.DistributedLockObserver;
import dev.redlock.spring.LockOutcome;
import dev.redlock.spring.observation.RedlockObservationContext.Phase;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * Observes each locked call as {@code redlock.lock}: the wait for the lock, then, once it is
 * acquired, the time it is held. Both start inside whatever observation is current on the
 * calling thread (an HTTP request's, say), so a tracing bridge shows the wait and the hold as
 * spans inside the request.
 */
public final class ObservationLockObserver implements DistributedLockObserver {

	private static final DefaultRedlockObservationConvention DEFAULT = new DefaultRedlockObservationConvention();

	private final ObservationRegistry registry;

	private final RedlockObservationConvention convention;

	private final int nodeCount;

	/**
	 * @param registry where the observations go
	 * @param convention replaces the default names and tags, or {@code null}
	 * @param nodeCount how many nodes the Redlock has
	 */
	public ObservationLockObserver(ObservationRegistry registry, RedlockObservationConvention convention,
			int nodeCount) {
		this.registry = Objects.requireNonNull(registry, "registry must not be null");
		this.convention = convention;
		this.nodeCount = nodeCount;
	}

	@Override
	public Call started(String name, List<String> keys) {
		if (this.registry.isNoop()) {
			return NOTHING;
		}
		RedlockObservationContext acquire = new RedlockObservationContext(name, keys, this.nodeCount, Phase.ACQUIRE);
		Observation acquisition = observation(acquire).start();
		return new Call() {

			private Observation hold;

			@Override
			public void acquired(Lock lock) {
				acquire.setOutcome(LockOutcome.ACQUIRED);
				acquisition.stop();
				RedlockObservationContext held = new RedlockObservationContext(name, keys, ObservationLockObserver.this.nodeCount,
						Phase.HOLD);
				held.setOutcome(LockOutcome.ACQUIRED);
				this.hold = observation(held).start();
			}

			@Override
			public void notAcquired(LockOutcome outcome, Throwable failure) {
				acquire.setOutcome(outcome);
				if (failure != null) {
					acquisition.error(failure);
				}
				acquisition.stop();
			}

			@Override
			public void released() {
				if (this.hold != null) {
					this.hold.stop();
				}
			}

		};
	}

	private Observation observation(RedlockObservationContext context) {
		return Observation.createNotStarted(this.convention, DEFAULT, () -> context, this.registry);
	}

	private static final Call NOTHING = new Call() {
	};

}
