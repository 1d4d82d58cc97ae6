package dev.redlock.spring.boot;

import java.time.Duration;
import java.util.List;

import dev.redlock.Lock;
import dev.redlock.LockAcquisitionException;
import dev.redlock.Redlock;
import dev.redlock.RedlockException;
import dev.redlock.spring.ActiveLocks;
import dev.redlock.spring.DistributedLockOptions;
import dev.redlock.spring.DistributedLockTemplate;
import dev.redlock.spring.metrics.MicrometerLockObserver;
import dev.redlock.testkit.RedisServersExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The meters on real nodes: created at start-up for every annotated method, then counting
 * each outcome of acquisitions, the locks held, extensions, losses and the nodes' state. No
 * meter carries a key.
 */
class RedlockMetricsTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private static final String METHOD = "Accounts.locked";

	private static final String BEAN = ActiveLocks.REDLOCK_BEAN;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(BootLine.metrics())
		.withConfiguration(AutoConfigurations.of(RedlockAutoConfiguration.class, RedlockMetricsAutoConfiguration.class))
		.withPropertyValues(nodes())
		.withPropertyValues("redlock.command-timeout=1s")
		.withBean(Accounts.class);

	@Test
	void registersTheMetersOfEveryAnnotatedMethodAtStartUp() {
		this.runner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			for (String outcome : List.of("acquired", "joined", "skipped", "held-by-another", "quorum-unreachable",
					"validity-exhausted", "error")) {
				assertThat(registry.get("redlock.acquire").tags("name", METHOD, "outcome", outcome).timer().count())
					.isZero();
			}
			assertThat(registry.get("redlock.held").tag("name", METHOD).longTaskTimer().activeTasks()).isZero();
			assertThat(registry.get("redlock.extend").tags("name", METHOD, "outcome", "success").counter().count()).isZero();
			assertThat(registry.get("redlock.lost").tag("name", METHOD).counter().count()).isZero();
			assertThat(registry.get("redlock.node.errors").counters()).hasSize(3);
			assertThat(registry.get("redlock.node.up").gauges()).hasSize(3);
		});
	}

	@Test
	void timesAcquisitionsByOutcomeAndCountsHeldLocks() {
		this.runner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			Accounts accounts = context.getBean(Accounts.class);
			long heldInside = accounts.locked("a", (lock) -> accounts.locked("a",
					(nested) -> (long) registry.get("redlock.held").tag("name", METHOD).longTaskTimer().activeTasks()));
			assertThat(heldInside).isEqualTo(1);
			assertThat(timer(registry, METHOD, "acquired").count()).isEqualTo(1);
			assertThat(timer(registry, METHOD, "joined").count()).isEqualTo(1);
			assertThat(registry.get("redlock.held").tag("name", METHOD).longTaskTimer().activeTasks()).isZero();

			DistributedLockTemplate template = context.getBean(DistributedLockTemplate.class);
			Redlock redlock = context.getBean(Redlock.class);
			try (Lock other = redlock.acquire("locks:busy", Duration.ofSeconds(10))) {
				assertThat(template.tryExecute(DistributedLockOptions.keys("busy").withName("busy-work")
					.withWaitTime(Duration.ZERO), () -> "ran")).isEmpty();
				assertThatExceptionOfType(LockAcquisitionException.class).isThrownBy(() -> template
					.execute(DistributedLockOptions.keys("busy").withName("busy-work").withWaitTime(Duration.ZERO), () -> "ran"));
			}
			assertThat(timer(registry, "busy-work", "skipped").count()).isEqualTo(1);
			assertThat(timer(registry, "busy-work", "held-by-another").count()).isEqualTo(1);
			assertThat(registry.getMeters()).allSatisfy((meter) -> assertThat(tagValues(meter)).noneMatch(
					(value) -> value.contains("busy") && !value.equals("busy-work") || value.contains("account")));
		});
	}

	@Test
	void countsALockedCallOnceAndTimesTheRedlockBeansOwnAcquisitions() {
		this.runner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			Accounts accounts = context.getBean(Accounts.class);
			accounts.locked("once", (lock) -> null);
			Redlock redlock = context.getBean(Redlock.class);
			Lock direct = redlock.acquire("locks:direct", Duration.ofSeconds(10));
			await().atMost(Duration.ofSeconds(10)).until(() -> timer(registry, BEAN, "acquired").count() == 1
					&& registry.get("redlock.held").tag("name", BEAN).longTaskTimer().activeTasks() == 1);
			direct.release();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> registry.get("redlock.held").tag("name", BEAN).longTaskTimer().activeTasks() == 0);
			// The core's event of the locked call arrives on another thread: it must stay uncounted.
			await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
				.until(() -> totalAcquisitions(registry) == 2);
			assertThat(timer(registry, METHOD, "acquired").count()).isEqualTo(1);
		});
	}

	@Test
	void timesTheOutcomesOfAnOutageAndOfAClosedRedlockForLockedCalls() {
		this.runner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			DistributedLockTemplate template = context.getBean(DistributedLockTemplate.class);
			redis.get(0).pause();
			redis.get(1).pause();
			try {
				assertThatExceptionOfType(LockAcquisitionException.class).isThrownBy(() -> template
					.execute(DistributedLockOptions.keys("outage").withName("outage-work").withWaitTime(Duration.ZERO),
							() -> "ran"));
			}
			finally {
				redis.servers().healAll();
			}
			assertThat(timer(registry, "outage-work", "quorum-unreachable").count()).isEqualTo(1);
			context.getBean(Redlock.class).close();
			assertThatExceptionOfType(RedlockException.class).isThrownBy(() -> template
				.execute(DistributedLockOptions.keys("closed").withName("closed-work"), () -> "ran"));
			assertThat(timer(registry, "closed-work", "error").count()).isEqualTo(1);
			await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
				.until(() -> totalAcquisitions(registry) == 2);
		});
	}

	@Test
	void countsExtensionsAndLosses() {
		this.runner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			DistributedLockTemplate template = context.getBean(DistributedLockTemplate.class);
			template.execute(DistributedLockOptions.keys("extended").withName("long-work").withTtl(Duration.ofMillis(1500)),
					() -> {
						await().atMost(Duration.ofSeconds(20)).until(() -> extensions(registry, "long-work", "success") >= 1);
						return null;
					});
			template.execute(DistributedLockOptions.keys("stolen").withName("stolen-work").withTtl(Duration.ofMillis(1500)),
					() -> {
						// Taken over behind the holder's back: its next extension is refused, so it is lost.
						redis.uris().forEach((uri) -> set(uri, "locks:stolen", "someone-else"));
						await().atMost(Duration.ofSeconds(20))
							.until(() -> registry.get("redlock.lost").tag("name", "stolen-work").counter().count() >= 1);
						return null;
					});
			assertThat(extensions(registry, "stolen-work", "failure")).isGreaterThanOrEqualTo(1);
		});
	}

	@Test
	void stopsCountingLocksThatRanOutUnextendedButNotOnesExtendedAutomatically() {
		this.runner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			DistributedLockTemplate template = context.getBean(DistributedLockTemplate.class);
			Redlock redlock = context.getBean(Redlock.class);
			template.execute(DistributedLockOptions.keys("kept").withName("kept-work").withTtl(Duration.ofSeconds(2)), () -> {
				// Never released nor extended: no event tells that it ended, its validity running out does.
				Lock forgotten = redlock.acquire("locks:forgotten", Duration.ofSeconds(3));
				await().atMost(Duration.ofSeconds(10)).until(() -> held(registry, BEAN) == 1);
				// A locked call that outlives its lock, which it does not extend.
				template.execute(DistributedLockOptions.keys("overrun").withName("overrun-work")
					.withTtl(Duration.ofSeconds(2)).withAutoExtend(false), () -> {
						assertThat(held(registry, "overrun-work")).isEqualTo(1);
						await().atMost(Duration.ofSeconds(20))
							.until(() -> held(registry, "overrun-work") == 0 && held(registry, BEAN) == 0);
						return null;
					});
				assertThat(forgotten.isHeld()).isFalse();
				// Held longer than its first validity by now, and extended: still counted.
				assertThat(held(registry, "kept-work")).isEqualTo(1);
				return null;
			});
			assertThat(held(registry, "kept-work")).isZero();
		});
	}

	@Test
	void showsWhichNodesAnswer() {
		this.runner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			String stopped = context.getBean(Redlock.class).nodes().get(2);
			await().atMost(Duration.ofSeconds(10)).until(() -> up(registry) == 3);
			redis.get(2).stop();
			await().atMost(Duration.ofSeconds(30)).until(() -> up(registry) == 2
					&& registry.get("redlock.node.up").tag("node", stopped).gauge().value() == 0);
			await().atMost(Duration.ofSeconds(30))
				.until(() -> registry.get("redlock.node.errors").tag("node", stopped).counter().count() > 0);
		});
	}

	@Test
	void isOffWithoutMicrometer() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RedlockAutoConfiguration.class, RedlockMetricsAutoConfiguration.class))
			.withPropertyValues(nodes())
			.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(MicrometerLockObserver.class));
	}

	@Test
	void isOffWithoutAMeterRegistry() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RedlockAutoConfiguration.class, RedlockMetricsAutoConfiguration.class))
			.withPropertyValues(nodes())
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(MicrometerLockObserver.class));
	}

	private static long totalAcquisitions(MeterRegistry registry) {
		return registry.get("redlock.acquire").timers().stream().mapToLong(Timer::count).sum();
	}

	private static int held(MeterRegistry registry, String name) {
		return registry.get("redlock.held").tag("name", name).longTaskTimer().activeTasks();
	}

	private static double up(MeterRegistry registry) {
		return registry.get("redlock.node.up").gauges().stream().mapToDouble((gauge) -> gauge.value()).sum();
	}

	private static Timer timer(MeterRegistry registry, String name, String outcome) {
		return registry.get("redlock.acquire").tags("name", name, "outcome", outcome).timer();
	}

	private static double extensions(MeterRegistry registry, String name, String outcome) {
		Counter counter = registry.find("redlock.extend").tags("name", name, "outcome", outcome).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static List<String> tagValues(Meter meter) {
		return meter.getId().getTags().stream().map((tag) -> tag.getValue()).toList();
	}

	private static void set(String uri, String key, String value) {
		RedisClient client = RedisClient.create(uri);
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			connection.sync().set(key, value);
		}
		finally {
			client.shutdown();
		}
	}

	private static String[] nodes() {
		String[] nodes = new String[redis.size()];
		for (int i = 0; i < nodes.length; i++) {
			nodes[i] = "redlock.nodes[" + i + "]=" + redis.uris().get(i);
		}
		return nodes;
	}

}
