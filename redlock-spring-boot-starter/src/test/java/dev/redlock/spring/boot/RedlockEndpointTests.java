package dev.redlock.spring.boot;

import java.time.Duration;
import java.util.List;

import dev.redlock.Lock;
import dev.redlock.Redlock;
import dev.redlock.spring.ActiveLocks;
import dev.redlock.spring.ActiveLocks.ActiveLock;
import dev.redlock.spring.DistributedLockOptions;
import dev.redlock.spring.DistributedLockTemplate;
import dev.redlock.spring.DistributedLocks;
import dev.redlock.spring.boot.actuate.RedlockEndpoint;
import dev.redlock.spring.boot.actuate.RedlockEndpoint.NodeDescriptor;
import dev.redlock.spring.boot.actuate.RedlockEndpoint.RedlockDescriptor;
import dev.redlock.testkit.RedisServersExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code redlock} endpoint on real nodes: available only once exposed, like Spring Boot's
 * own; shows the nodes without credentials, the quorum, which answer, and the locks held.
 */
class RedlockEndpointTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RedlockAutoConfiguration.class, RedlockEndpointAutoConfiguration.class))
		.withPropertyValues(TestNodes.of(redis))
		.withBean(Accounts.class);

	@Test
	void isNotAvailableUntilExposed() {
		this.runner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(RedlockEndpoint.class));
	}

	@Test
	void showsTheNodesAndEveryLockHeld() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=redlock").run((context) -> {
			RedlockEndpoint endpoint = context.getBean(RedlockEndpoint.class);
			RedlockDescriptor inside = context.getBean(Accounts.class).locked("a", (lock) -> {
				DistributedLocks.fencingToken();
				return endpoint.redlock();
			});
			assertThat(inside.quorum()).isEqualTo(2);
			assertThat(inside.answering()).isEqualTo(3);
			assertThat(inside.canLock()).isTrue();
			assertThat(inside.nodes()).extracting(NodeDescriptor::node).isEqualTo(redis.uris());
			assertThat(inside.locks()).singleElement().satisfies((lock) -> {
				assertThat(lock.name()).isEqualTo("Accounts.locked");
				assertThat(lock.keys()).containsExactly("locks:account:a");
				assertThat(lock.remainingValidityMillis()).isPositive();
				assertThat(lock.fencingTokens()).containsKey("locks:account:a");
				assertThat(lock.extensions()).isZero();
			});
			assertThat(endpoint.redlock().locks()).isEmpty();
		});
	}

	@Test
	void countsTheExtensionsOfAHeldLockAndTellsWhichNodeIsDown() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=redlock").run((context) -> {
			RedlockEndpoint endpoint = context.getBean(RedlockEndpoint.class);
			context.getBean(DistributedLockTemplate.class)
				.execute(DistributedLockOptions.keys("long").withName("long-work")
					.withTtl(Duration.ofMillis(1500)), () -> {
						await().atMost(Duration.ofSeconds(20))
							.until(() -> endpoint.redlock().locks().get(0).extensions() >= 1);
						return null;
					});
			redis.get(1).stop();
			RedlockDescriptor degraded = endpoint.redlock();
			assertThat(degraded.answering()).isEqualTo(2);
			assertThat(degraded.nodes().get(1).up()).isFalse();
			assertThat(degraded.nodes().get(1).error()).isNotBlank();
			assertThat(List.of(degraded.nodes().get(0).up(), degraded.nodes().get(2).up())).containsOnly(true);
		});
	}

	@Test
	void stopsListingLocksThatRanOutUnextendedButNotOnesExtendedAutomatically() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=redlock").run((context) -> {
			RedlockEndpoint endpoint = context.getBean(RedlockEndpoint.class);
			Redlock redlock = context.getBean(Redlock.class);
			try (Lock kept = redlock.acquire("locks:kept", Duration.ofSeconds(2)).autoExtend()) {
				// Never released nor extended: no event tells that it ended, its validity running out does.
				Lock forgotten = redlock.acquire("locks:forgotten", Duration.ofSeconds(3));
				await().atMost(Duration.ofSeconds(10)).until(() -> endpoint.redlock().locks().size() == 2);
				// A locked call that outlives its lock, which it does not extend.
				context.getBean(DistributedLockTemplate.class)
					.execute(DistributedLockOptions.keys("overrun").withName("overrun-work")
						.withTtl(Duration.ofSeconds(2)).withAutoExtend(false), () -> {
							assertThat(endpoint.redlock().locks()).extracting(ActiveLock::name).contains("overrun-work");
							await().atMost(Duration.ofSeconds(20)).until(() -> endpoint.redlock().locks().size() == 1);
							return null;
						});
				assertThat(forgotten.isHeld()).isFalse();
				// Held longer than its first validity by now, and extended: still listed.
				assertThat(endpoint.redlock().locks()).singleElement().satisfies((lock) -> {
					assertThat(lock.keys()).containsExactly("locks:kept");
					assertThat(lock.remainingValidityMillis()).isPositive();
					assertThat(lock.extensions()).isPositive();
				});
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> endpoint.redlock().locks().isEmpty());
		});
	}

	@Test
	void listsTheLocksTakenOnTheRedlockBeanAndALockedCallsLockOnce() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=redlock").run((context) -> {
			RedlockEndpoint endpoint = context.getBean(RedlockEndpoint.class);
			Redlock redlock = context.getBean(Redlock.class);
			try (Lock direct = redlock.acquire("locks:direct", Duration.ofSeconds(10))) {
				await().atMost(Duration.ofSeconds(10)).until(() -> endpoint.redlock().locks().size() == 1);
				assertThat(endpoint.redlock().locks()).singleElement().satisfies((lock) -> {
					assertThat(lock.name()).isEqualTo(ActiveLocks.REDLOCK_BEAN);
					assertThat(lock.keys()).containsExactly("locks:direct");
					assertThat(lock.remainingValidityMillis()).isPositive();
				});
				context.getBean(Accounts.class).locked("b", (lock) -> {
					// The core tells of this acquisition too, on another thread: it must not be listed again.
					await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
						.until(() -> endpoint.redlock().locks().size() == 2);
					assertThat(endpoint.redlock().locks()).extracting(ActiveLock::name)
						.containsExactly(ActiveLocks.REDLOCK_BEAN, "Accounts.locked");
					return null;
				});
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> endpoint.redlock().locks().isEmpty());
		});
	}

}
