package dev.redlock.spring;

import dev.redlock.spring.boot.RedlockAutoConfiguration;
import dev.redlock.testkit.RedisServersExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code @DistributedLock} that cannot work fails the application's start, naming the
 * method and what is wrong, instead of failing its first call.
 */
class DistributedLockStartupTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RedlockAutoConfiguration.class))
		.withPropertyValues(RedisNodes.properties(redis))
		.withPropertyValues("jobs.ttl=15s");

	@Test
	void aKeyWithASyntaxErrorFailsTheStart() {
		this.runner.withBean(BadKey.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasMessageContaining("BadKey.run")
				.hasMessageContaining("\"'job:' + #id +\"")
				.hasMessageContaining("not valid SpEL");
		});
	}

	@Test
	void anUnparsableDurationFailsTheStart() {
		this.runner.withBean(BadTtl.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasMessageContaining("BadTtl.run")
				.hasMessageContaining("ttl = \"soon\"")
				.hasMessageContaining("not a duration");
		});
	}

	@Test
	void anUnresolvablePlaceholderFailsTheStart() {
		this.runner.withBean(UnresolvedTtl.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasMessageContaining("UnresolvedTtl.run")
				.hasMessageContaining("${jobs.missing}");
		});
	}

	@Test
	void skippingAMethodThatReturnsAPrimitiveFailsTheStart() {
		this.runner.withBean(SkipsPrimitive.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasMessageContaining("SkipsPrimitive.count")
				.hasMessageContaining("returns long");
		});
	}

	@Test
	void lazyBeansAreCheckedToo() {
		this.runner.withBean(BadKey.class, BadKey::new, (definition) -> definition.setLazyInit(true))
			.run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void validAnnotationsStartAndAreReadAtStartup() {
		this.runner.withBean(Good.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(Good.class).run("x")).isEqualTo("x");
		});
	}

	static class BadKey {

		@DistributedLock(key = "'job:' + #id +")
		public void run(long id) {
		}

	}

	static class BadTtl {

		@DistributedLock(key = "'job'", ttl = "soon")
		public void run() {
		}

	}

	static class UnresolvedTtl {

		@DistributedLock(key = "'job'", ttl = "${jobs.missing}")
		public void run() {
		}

	}

	static class SkipsPrimitive {

		@DistributedLock(key = "'job'", ifLocked = IfLocked.SKIP)
		public long count() {
			return 0;
		}

	}

	static class Good {

		@DistributedLock(key = "'job:' + #name", ttl = "${jobs.ttl}", waitTime = "1s")
		public String run(String name) {
			return name;
		}

	}

}
