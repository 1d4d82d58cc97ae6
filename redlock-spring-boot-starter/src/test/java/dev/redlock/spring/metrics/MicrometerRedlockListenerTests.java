package dev.redlock.spring.metrics;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

import dev.redlock.Lock;
import dev.redlock.LockAcquisitionException;
import dev.redlock.Redlock;
import dev.redlock.testkit.FaultProxy;
import dev.redlock.testkit.RedisServersExtension;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The Micrometer listener with the core alone, no Spring context: every acquisition is timed
 * by outcome under the name given, and the locks held are counted while they are held.
 */
class MicrometerRedlockListenerTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final MeterRegistry registry = new SimpleMeterRegistry();

	@AfterEach
	void heal() {
		redis.servers().healAll();
	}

	@Test
	void timesAcquisitionsByOutcomeAndCountsTheLocksHeld() {
		try (Redlock redlock = Redlock.builder().nodes(redis.uris()).commandTimeout(Duration.ofMillis(300))
			.listener(new MicrometerRedlockListener(this.registry, "payments")).build()) {
			Lock lock = redlock.acquire("locks:meters:account", Duration.ofSeconds(10));
			await().atMost(WAIT).until(() -> count("payments", "acquired") == 1 && held("payments") == 1);
			assertThat(redlock.tryAcquire("locks:meters:account", Duration.ofSeconds(10))).isEmpty();
			await().atMost(WAIT).until(() -> count("payments", "held-by-another") == 1);
			lock.release();
			await().atMost(WAIT).until(() -> held("payments") == 0);

			redis.get(0).pause();
			redis.get(1).pause();
			assertThatExceptionOfType(LockAcquisitionException.class)
				.isThrownBy(() -> redlock.tryAcquire("locks:meters:account", Duration.ofSeconds(10)))
				.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(LockAcquisitionException.Reason.QUORUM_UNREACHABLE));
			await().atMost(WAIT).until(() -> count("payments", "quorum-unreachable") == 1);
		}
		assertThat(count("payments", "acquired")).isEqualTo(1);
		assertThat(count("payments", "validity-exhausted")).isZero();
		assertThat(count("payments", "error")).isZero();
		assertNoKeyInTags();
	}

	@Test
	void timesAnAcquisitionEndedByItsCallerAsAnError() {
		try (Redlock redlock = Redlock.builder().nodes(redis.uris())
			.listener(new MicrometerRedlockListener(this.registry)).build();
				Lock held = redlock.acquire("locks:meters:busy", Duration.ofSeconds(10))) {
			CompletableFuture<Lock> waiting = redlock.acquireAsync(List.of("locks:meters:busy"), Duration.ofSeconds(10), WAIT)
				.toCompletableFuture();
			waiting.cancel(false);
			assertThatExceptionOfType(CancellationException.class).isThrownBy(waiting::join);
			await().atMost(WAIT).until(() -> count(MicrometerRedlockListener.DEFAULT_NAME, "error") == 1);
		}
	}

	@Test
	void timesAGrantTooLateForItsTtlAsValidityExhausted() {
		List<FaultProxy> slow = redis.servers().stream().map(FaultProxy::to).toList();
		try {
			slow.forEach((proxy) -> proxy.latency(Duration.ofMillis(25)));
			try (Redlock redlock = Redlock.builder().nodes(slow.stream().map(FaultProxy::uri).toList())
				.commandTimeout(Duration.ofSeconds(2))
				.listener(new MicrometerRedlockListener(this.registry, (resources) -> "slow"))
				.build()) {
				// A majority grants, but a round trip of 50 ms outlasts a 10 ms ttl.
				assertThatExceptionOfType(LockAcquisitionException.class)
					.isThrownBy(() -> redlock.tryAcquire("locks:meters:slow", Duration.ofMillis(10)))
					.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(LockAcquisitionException.Reason.VALIDITY_EXHAUSTED));
				await().atMost(WAIT).until(() -> count("slow", "validity-exhausted") == 1);
			}
		}
		finally {
			slow.forEach(FaultProxy::close);
		}
	}

	@Test
	void stopsCountingALockThatRanOutUnreleasedButNotOneExtendedAutomatically() {
		try (Redlock redlock = Redlock.builder().nodes(redis.uris())
			.listener(new MicrometerRedlockListener(this.registry, "jobs")).build()) {
			Lock kept = redlock.acquire("locks:meters:kept", Duration.ofSeconds(2)).autoExtend();
			// Never released nor extended: no event tells that it ended, its validity running out does.
			Lock forgotten = redlock.acquire("locks:meters:forgotten", Duration.ofSeconds(3));
			await().atMost(WAIT).until(() -> held("jobs") == 2);
			await().atMost(Duration.ofSeconds(20)).until(() -> held("jobs") == 1);
			assertThat(forgotten.isHeld()).isFalse();
			// The extended lock outlives its first validity, and every later one, and is still counted.
			await().during(Duration.ofSeconds(3)).atMost(WAIT).until(() -> held("jobs") == 1 && kept.isHeld());
			kept.release();
			await().atMost(WAIT).until(() -> held("jobs") == 0);
		}
	}

	private double count(String name, String outcome) {
		return this.registry.get("redlock.acquire").tags("name", name, "outcome", outcome).timer().count();
	}

	private int held(String name) {
		return this.registry.get("redlock.held").tag("name", name).longTaskTimer().activeTasks();
	}

	private void assertNoKeyInTags() {
		assertThat(this.registry.getMeters()).allSatisfy((meter) -> assertThat(meter.getId().getTags())
			.noneMatch((tag) -> tag.getValue().contains("locks:")));
	}

}
