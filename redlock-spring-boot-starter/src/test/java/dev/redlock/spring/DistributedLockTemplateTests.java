package dev.redlock.spring;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.redlock.Lock;
import dev.redlock.LockAcquisitionException;
import dev.redlock.LockHandle;
import dev.redlock.Redlock;
import dev.redlock.spring.boot.RedlockAutoConfiguration;
import dev.redlock.testkit.RedisServersExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link DistributedLockTemplate} behaves as the annotation does: same prefix, defaults,
 * reentrancy and skipping; the {@link Redlock} bean stays the prefix-free core API.
 */
class DistributedLockTemplateTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private static RedisNodes nodes;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, RedlockAutoConfiguration.class))
		.withPropertyValues(RedisNodes.properties(redis))
		.withBean(Annotated.class);

	@BeforeAll
	static void connect() {
		nodes = new RedisNodes(redis);
	}

	@AfterAll
	static void disconnect() {
		nodes.close();
	}

	@Test
	void executeRunsTheWorkUnderTheLockOnThePrefixedKey() {
		this.runner.withPropertyValues("redlock.key-prefix=app:").run((context) -> {
			DistributedLockTemplate template = context.getBean(DistributedLockTemplate.class);
			boolean held = template.execute("report:1", Duration.ofSeconds(10), () -> {
				LockHandle lock = DistributedLocks.currentLock().orElseThrow();
				return lock.resources().equals(List.of("app:report:1"))
						&& nodes.holdEverywhere(lock.resources(), lock.value());
			});
			assertThat(held).isTrue();
			assertThat(nodes.releasedEverywhere("app:report:1")).isTrue();
		});
	}

	@Test
	void tryExecuteIsEmptyAndDoesNotRunWhenAnotherOwnerHoldsTheLock() {
		this.runner.run((context) -> {
			DistributedLockTemplate template = context.getBean(DistributedLockTemplate.class);
			AtomicBoolean ran = new AtomicBoolean();
			try (Lock other = context.getBean(Redlock.class).acquire("locks:busy", Duration.ofSeconds(30))) {
				Optional<String> result = template.tryExecute("busy", Duration.ofSeconds(5), () -> {
					ran.set(true);
					return "ran";
				});
				assertThat(result).isEmpty();
			}
			assertThat(ran).isFalse();
			assertThat(template.tryExecute("busy", Duration.ofSeconds(5), () -> "ran")).contains("ran");
		});
	}

	@Test
	void executeFailsWhenTheLockStaysBusyPastTheWaitTime() {
		this.runner.run((context) -> {
			DistributedLockTemplate template = context.getBean(DistributedLockTemplate.class);
			try (Lock other = context.getBean(Redlock.class).acquire("locks:taken", Duration.ofSeconds(30))) {
				assertThatExceptionOfType(LockAcquisitionException.class).isThrownBy(() -> template
					.execute(DistributedLockOptions.keys("taken").withWaitTime(Duration.ZERO), () -> "ran"));
			}
		});
	}

	@Test
	void aTemplateCallInsideAnAnnotatedMethodWithTheSameKeyJoinsItsLock() {
		this.runner.run((context) -> {
			DistributedLockTemplate template = context.getBean(DistributedLockTemplate.class);
			assertThat(context.getBean(Annotated.class).nest(template)).isTrue();
		});
	}

	@Test
	void theCallbackReceivesTheHeldLockWithTheCurrentFencingTokenAndALaterHolderALargerOne() {
		this.runner.run((context) -> {
			DistributedLockTemplate template = context.getBean(DistributedLockTemplate.class);
			long[] first = template.execute("fenced", Duration.ofSeconds(10),
					(lock) -> new long[] { lock.fencingToken(), DistributedLocks.fencingToken() });
			assertThat(first[0]).isPositive().isEqualTo(first[1]);
			long[] second = template.tryExecute("fenced", Duration.ofSeconds(10),
					(lock) -> new long[] { lock.fencingToken(), DistributedLocks.fencingToken() })
				.orElseThrow();
			assertThat(second[0]).isEqualTo(second[1]).isGreaterThan(first[0]);
			DistributedLockOptions options = DistributedLockOptions.keys("fenced").withTtl(Duration.ofSeconds(10));
			long third = template.execute(options, (lock) -> {
				assertThat(lock.resources()).containsExactly("locks:fenced");
				assertThat(lock.isHeld()).isTrue();
				return lock.fencingToken();
			});
			assertThat(third).isGreaterThan(second[0]);
			long fourth = template.tryExecute(options.withWaitTime(Duration.ZERO), LockHandle::fencingToken)
				.orElseThrow();
			assertThat(fourth).isGreaterThan(third);
		});
	}

	@Test
	void aCallbackIsNotRunWhenAnotherOwnerHoldsTheLock() {
		this.runner.run((context) -> {
			DistributedLockTemplate template = context.getBean(DistributedLockTemplate.class);
			AtomicBoolean ran = new AtomicBoolean();
			try (Lock other = context.getBean(Redlock.class).acquire("locks:taken-fenced", Duration.ofSeconds(30))) {
				assertThat(template.tryExecute("taken-fenced", Duration.ofSeconds(5), (lock) -> {
					ran.set(true);
					return lock.fencingToken();
				})).isEmpty();
			}
			assertThat(ran).isFalse();
		});
	}

	@Test
	void aJoinedCallbackReceivesTheEnclosingLock() {
		this.runner.run((context) -> {
			DistributedLockTemplate template = context.getBean(DistributedLockTemplate.class);
			assertThat(context.getBean(Annotated.class).nestWithCallback(template)).isTrue();
		});
	}

	@Test
	void theRedlockBeanDoesNotApplyThePrefix() {
		this.runner.run((context) -> {
			try (Lock lock = context.getBean(Redlock.class).acquire("raw", Duration.ofSeconds(10))) {
				assertThat(nodes.holdEverywhere(List.of("raw"), lock.value())).isTrue();
				assertThat(nodes.releasedEverywhere("locks:raw")).isTrue();
			}
		});
	}

	static class Annotated {

		@DistributedLock(key = "'nested'")
		public boolean nest(DistributedLockTemplate template) {
			LockHandle outer = DistributedLocks.currentLock().orElseThrow();
			return template.execute(DistributedLockOptions.keys("nested").withWaitTime(Duration.ZERO),
					() -> DistributedLocks.currentLock().orElseThrow() == outer);
		}

		@DistributedLock(key = "'nested-callback'")
		public boolean nestWithCallback(DistributedLockTemplate template) {
			LockHandle outer = DistributedLocks.currentLock().orElseThrow();
			long token = outer.fencingToken();
			return template.execute(DistributedLockOptions.keys("nested-callback").withWaitTime(Duration.ZERO),
					(lock) -> lock == outer && lock.fencingToken() == token);
		}

	}

}
