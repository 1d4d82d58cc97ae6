package dev.redlock.spring;

import java.util.List;

import dev.redlock.spring.boot.RedlockAutoConfiguration;
import dev.redlock.testkit.RedisServersExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** An annotated method reaches its lock's fencing token through {@link DistributedLocks#fencingToken()}. */
class DistributedLockFencingTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RedlockAutoConfiguration.class))
		.withPropertyValues(RedisNodes.properties(redis))
		.withBean(Ledger.class);

	@Test
	void eachCallGetsALargerTokenThanTheCallBefore() {
		this.runner.run((context) -> {
			RedisNodes.warmUp(context);
			Ledger ledger = context.getBean(Ledger.class);
			long first = ledger.write("day-1");
			long second = ledger.write("day-1");
			assertThat(second).isGreaterThan(first);
			List<Long> both = ledger.writeBoth("day-1", "day-2");
			assertThat(both.get(0)).isGreaterThan(second);
			assertThat(both.get(1)).isPositive();
		});
	}

	@Test
	void outsideAnAnnotatedMethodThereIsNoToken() {
		assertThatIllegalStateException().isThrownBy(DistributedLocks::fencingToken)
			.withMessageContaining("No @DistributedLock method is running on this thread");
	}

	static class Ledger {

		@DistributedLock(key = "'ledger:' + #day")
		public long write(String day) {
			long token = DistributedLocks.fencingToken();
			assertThat(DistributedLocks.fencingToken()).as("the same for the whole call").isEqualTo(token);
			return token;
		}

		@DistributedLock(key = { "'ledger:' + #first", "'ledger:' + #second" })
		public List<Long> writeBoth(String first, String second) {
			return List.of(DistributedLocks.currentLock().orElseThrow().fencingToken("locks:ledger:" + first),
					DistributedLocks.currentLock().orElseThrow().fencingToken("locks:ledger:" + second));
		}

	}

}
