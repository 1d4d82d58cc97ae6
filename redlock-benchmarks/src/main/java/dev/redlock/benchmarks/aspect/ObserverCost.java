package dev.redlock.benchmarks.aspect;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import dev.redlock.Lock;
import dev.redlock.RedlockException;
import dev.redlock.spring.ActiveLocks;
import dev.redlock.spring.DistributedLockObserver;
import dev.redlock.spring.metrics.MicrometerLockObserver;
import dev.redlock.spring.observation.ObservationLockObserver;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.HdrHistogram.Histogram;

/**
 * What the starter's observers cost one locked call, without the nodes: the time of one
 * started, acquired and released cycle through the observers an application with a meter
 * registry and an observation registry gets (meters, {@code redlock.lock} observations timed
 * by a meter handler, the held-locks registry). Scenario (e) measures the same inside whole
 * calls, where a loaded machine's noise is larger than this cost.
 *
 * <pre>
 * java -cp redlock-benchmarks/target/redlock-benchmarks.jar dev.redlock.benchmarks.aspect.ObserverCost
 * </pre>
 */
public final class ObserverCost {

	private static final int WARM_UP = 200_000;

	private static final int MEASURED = 200_000;

	private ObserverCost() {
	}

	public static void main(String[] args) {
		Histogram cycle = measure(WARM_UP, MEASURED);
		System.out.printf(Locale.ROOT, "Observers of one locked call (meters + observation + held locks): p50 %.2f µs, "
				+ "p99 %.2f µs, over %d calls%n", cycle.getValueAtPercentile(50) / 1000.0,
				cycle.getValueAtPercentile(99) / 1000.0, MEASURED);
	}

	/**
	 * Times {@code measured} cycles through fresh observers, after {@code warmUp} untimed ones;
	 * scenario (e) reports it beside its paired figure, since it is what that figure would be
	 * without the nodes and their noise.
	 * @return nanoseconds per cycle
	 */
	public static Histogram measure(int warmUp, int measured) {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		ObservationRegistry observations = ObservationRegistry.create();
		observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
		List<DistributedLockObserver> observers = List.of(new MicrometerLockObserver(meters),
				new ObservationLockObserver(observations, null, 3), new ActiveLocks());
		List<String> keys = List.of("bench:observers:key");
		Histogram cycle = new Histogram(3);
		for (int i = 0; i < warmUp + measured; i++) {
			Lock lock = new StubLock("token-" + i, keys);
			long started = System.nanoTime();
			for (DistributedLockObserver observer : observers) {
				DistributedLockObserver.Call call = observer.started("LockedService.lock", keys);
				call.acquired(lock);
				call.released();
			}
			long took = System.nanoTime() - started;
			if (i >= warmUp) {
				cycle.recordValue(took);
			}
		}
		return cycle;
	}

	/** A lock that only has a token and keys: the observers read nothing else. */
	private record StubLock(String value, List<String> resources) implements Lock {

		@Override
		public List<String> grantedBy() {
			return List.of();
		}

		@Override
		public Lock extend(Duration ttl) {
			return this;
		}

		@Override
		public CompletionStage<Lock> extendAsync(Duration ttl) {
			return CompletableFuture.completedFuture(this);
		}

		@Override
		public Lock autoExtend() {
			return this;
		}

		@Override
		public void release() {
		}

		@Override
		public CompletionStage<Void> releaseAsync() {
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public void close() {
		}

		@Override
		public long fencingToken() {
			return 0;
		}

		@Override
		public long fencingToken(String resource) {
			return 0;
		}

		@Override
		public OptionalLong knownFencingToken(String resource) {
			return OptionalLong.empty();
		}

		@Override
		public CompletionStage<Long> fencingTokenAsync(String resource) {
			return CompletableFuture.completedFuture(0L);
		}

		@Override
		public Duration remainingValidity() {
			return Duration.ofSeconds(10);
		}

		@Override
		public boolean isHeld() {
			return true;
		}

		@Override
		public boolean check() {
			return true;
		}

		@Override
		public CompletionStage<Boolean> checkAsync() {
			return CompletableFuture.completedFuture(true);
		}

		@Override
		public void onLost(Consumer<? super RedlockException> callback) {
		}

		@Override
		public void throwIfLost() {
		}

	}

}
