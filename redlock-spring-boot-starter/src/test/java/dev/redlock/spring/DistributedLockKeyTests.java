package dev.redlock.spring;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

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
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Every form of key expression, and placeholders in durations, through the aspect on real
 * nodes: the method reports the keys its lock holds.
 */
class DistributedLockKeyTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private static RedisNodes nodes;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RedlockAutoConfiguration.class))
		.withPropertyValues(RedisNodes.properties(redis))
		.withPropertyValues("test.lock.ttl=7s", "test.lock.wait=0")
		.withBean("accounts", Accounts.class)
		.withBean(Keys.class);

	@BeforeAll
	static void connect() {
		nodes = new RedisNodes(redis);
	}

	@AfterAll
	static void disconnect() {
		nodes.close();
	}

	@Test
	void evaluatesEveryFormOfExpression() {
		this.runner.run((context) -> {
			Keys keys = context.getBean(Keys.class);
			assertThat(keys.byName(42L, "note")).containsExactly("locks:order:42");
			assertThat(keys.byP0(42L, "note")).containsExactly("locks:p0:42");
			assertThat(keys.byA1(42L, "note")).containsExactly("locks:a1:note");
			assertThat(keys.methodName()).containsExactly("locks:methodName");
			assertThat(keys.methodNameOfMethod()).containsExactly("locks:methodNameOfMethod");
			assertThat(keys.target()).containsExactly("locks:region:eu");
			assertThat(keys.args("first", "second")).containsExactly("locks:second");
			assertThat(keys.bean(5)).containsExactly("locks:account-5");
		});
	}

	@Test
	void turnsValuesThatAreNotStringsIntoText() {
		this.runner.run((context) -> {
			Keys keys = context.getBean(Keys.class);
			UUID id = UUID.randomUUID();
			assertThat(keys.raw(7L)).containsExactly("locks:7");
			assertThat(keys.raw(id)).containsExactly("locks:" + id);
			assertThat(keys.raw(Color.GREEN)).containsExactly("locks:GREEN");
		});
	}

	@Test
	void locksEveryKeyOfAnArrayAsOneLock() {
		this.runner.run((context) -> {
			Keys keys = context.getBean(Keys.class);
			assertThat(keys.transfer(1, 2)).containsExactly("locks:account:1", "locks:account:2");
			assertThat(keys.heldOnNodes()).isTrue();
			assertThat(nodes.releasedEverywhere("locks:account:1")).isTrue();
			assertThat(nodes.releasedEverywhere("locks:account:2")).isTrue();
			assertThat(keys.transfer(3, 3)).containsExactly("locks:account:3");
		});
	}

	@Test
	void aNullKeyFailsTheCallNamingTheMethodAndTheParametersFlag() {
		this.runner.run((context) -> assertThatIllegalArgumentException()
			.isThrownBy(() -> context.getBean(Keys.class).raw(null))
			.withMessageContaining("Keys.raw")
			.withMessageContaining("#value")
			.withMessageContaining("-parameters"));
	}

	@Test
	void usesTheConfiguredKeyPrefix() {
		this.runner.withPropertyValues("redlock.key-prefix=app:").run((context) -> {
			assertThat(context.getBean(Keys.class).byName(1L, "x")).containsExactly("app:order:1");
		});
	}

	@Test
	void resolvesPlaceholdersInTheTtlAndWaitTime() {
		this.runner.run((context) -> {
			Keys keys = context.getBean(Keys.class);
			long pttl = keys.placeholderTtl();
			assertThat(pttl).isBetween(1L, 7000L).isGreaterThan(3000L);
			Lock held = context.getBean(Redlock.class).acquire("locks:placeholders", Duration.ofSeconds(30));
			try {
				assertThatExceptionOfType(LockAcquisitionException.class).isThrownBy(keys::placeholderTtl)
					.satisfies((ex) -> assertThat(ex.attemptCount()).isEqualTo(1));
			}
			finally {
				held.release();
			}
		});
	}

	enum Color {

		GREEN

	}

	static class Accounts {

		public String name(long id) {
			return "account-" + id;
		}

	}

	static class Keys {

		private volatile boolean heldOnNodes;

		public String getRegion() {
			return "eu";
		}

		public boolean heldOnNodes() {
			return this.heldOnNodes;
		}

		@DistributedLock(key = "'order:' + #orderId")
		public List<String> byName(long orderId, String note) {
			return keys();
		}

		@DistributedLock(key = "'p0:' + #p0")
		public List<String> byP0(long orderId, String note) {
			return keys();
		}

		@DistributedLock(key = "'a1:' + #a1")
		public List<String> byA1(long orderId, String note) {
			return keys();
		}

		@DistributedLock(key = "#root.methodName")
		public List<String> methodName() {
			return keys();
		}

		@DistributedLock(key = "#root.method.name")
		public List<String> methodNameOfMethod() {
			return keys();
		}

		@DistributedLock(key = "'region:' + #root.target.region")
		public List<String> target() {
			return keys();
		}

		@DistributedLock(key = "#root.args[1]")
		public List<String> args(String first, String second) {
			return keys();
		}

		@DistributedLock(key = "@accounts.name(#id)")
		public List<String> bean(long id) {
			return keys();
		}

		@DistributedLock(key = "#value")
		public List<String> raw(Object value) {
			return keys();
		}

		@DistributedLock(key = { "'account:' + #from", "'account:' + #to" })
		public List<String> transfer(long from, long to) {
			LockHandle lock = DistributedLocks.currentLock().orElseThrow();
			this.heldOnNodes = nodes.holdEverywhere(lock.resources(), lock.value());
			return keys();
		}

		@DistributedLock(key = "'placeholders'", ttl = "${test.lock.ttl}", waitTime = "${test.lock.wait}",
				autoExtend = false)
		public long placeholderTtl() {
			return nodes.pttl(0, "locks:placeholders");
		}

		private static List<String> keys() {
			return DistributedLocks.currentLock().orElseThrow().resources();
		}

	}

}
