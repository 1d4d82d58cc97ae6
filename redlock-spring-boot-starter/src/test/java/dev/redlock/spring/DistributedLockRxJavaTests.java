package dev.redlock.spring;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.redlock.spring.boot.RedlockAutoConfiguration;
import dev.redlock.testkit.RedisServersExtension;
import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Single;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RxJava 3 results, adapted through Spring's {@code ReactiveAdapterRegistry}, hold their lock
 * from subscription until they terminate, and keep their own type.
 */
class DistributedLockRxJavaTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private static RedisNodes nodes;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, RedlockAutoConfiguration.class))
		.withPropertyValues(RedisNodes.properties(redis))
		.withBean(RxJobs.class);

	@BeforeAll
	static void connect() {
		nodes = new RedisNodes(redis);
	}

	@AfterAll
	static void disconnect() {
		nodes.close();
	}

	@Test
	void aSingleHoldsItsLockWhenSubscribed() {
		this.runner.run((context) -> {
			Single<Boolean> single = context.getBean(RxJobs.class).single();
			assertThat(nodes.releasedEverywhere("locks:rx:single")).isTrue();
			assertThat(single.timeout(30, TimeUnit.SECONDS).blockingGet()).isTrue();
			assertThat(nodes.releasedEverywhere("locks:rx:single")).isTrue();
		});
	}

	@Test
	void aFlowableHoldsItsLockUntilItCompletes() {
		this.runner.run((context) -> {
			Flowable<Boolean> flowable = context.getBean(RxJobs.class).flowable();
			assertThat(flowable.toList().timeout(30, TimeUnit.SECONDS).blockingGet())
				.containsExactly(true, true, true);
			assertThat(nodes.releasedEverywhere("locks:rx:flowable")).isTrue();
		});
	}

	@Test
	void aCompletableHoldsItsLockUntilItCompletes() {
		this.runner.run((context) -> {
			RxJobs jobs = context.getBean(RxJobs.class);
			assertThat(jobs.completable().blockingAwait(30, TimeUnit.SECONDS)).isTrue();
			assertThat(RxJobs.heldInCompletable).isTrue();
		});
	}

	static class RxJobs {

		static final AtomicBoolean heldInCompletable = new AtomicBoolean();

		@DistributedLock(key = "'rx:single'")
		public Single<Boolean> single() {
			return Single.fromCallable(() -> onAQuorum("locks:rx:single"));
		}

		@DistributedLock(key = "'rx:flowable'")
		public Flowable<Boolean> flowable() {
			return Flowable.interval(10, TimeUnit.MILLISECONDS)
				.take(3)
				.map((tick) -> onAQuorum("locks:rx:flowable"));
		}

		@DistributedLock(key = "'rx:completable'", waitTime = "5s")
		public Completable completable() {
			return Completable.fromRunnable(() -> heldInCompletable.set(onAQuorum("locks:rx:completable")))
				.delay(10, TimeUnit.MILLISECONDS);
		}

		/** Whether a majority of the nodes has {@code key}, as they answer themselves. */
		private static boolean onAQuorum(String key) {
			return nodes.values(key).stream().filter(Objects::nonNull).count() >= 2;
		}

	}

}
