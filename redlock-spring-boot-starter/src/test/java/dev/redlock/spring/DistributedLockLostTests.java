package dev.redlock.spring;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.redlock.LockHandle;
import dev.redlock.RedlockException;
import dev.redlock.spring.boot.RedlockAutoConfiguration;
import dev.redlock.testkit.RedisServersExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * A lock lost while its method runs, because a majority of nodes died: the loss is logged at
 * ERROR, published as an event, and visible to the method, which runs on.
 */
@ExtendWith(OutputCaptureExtension.class)
class DistributedLockLostTests {

	private static final Duration GENEROUS = Duration.ofSeconds(30);

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RedlockAutoConfiguration.class))
		.withPropertyValues(RedisNodes.properties(redis))
		.withPropertyValues("redlock.command-timeout=200ms")
		.withBean(LongJob.class)
		.withBean(LostLocks.class);

	@Test
	void aLockLostMidCallIsLoggedPublishedAndVisibleToTheMethod(CapturedOutput output) {
		this.runner.run((context) -> {
			RedisNodes.warmUp(context);
			LongJob job = context.getBean(LongJob.class);
			CountDownLatch started = new CountDownLatch(1);
			CompletableFuture<Outcome> call = CompletableFuture.supplyAsync(() -> job.run(started));
			assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
			redis.get(0).kill();
			redis.get(1).kill();
			Outcome outcome = call.get(GENEROUS.toSeconds(), TimeUnit.SECONDS);
			assertThat(outcome.heldAfterLoss()).isFalse();
			assertThat(outcome.thrown()).isNotNull();
			LostLocks lost = context.getBean(LostLocks.class);
			await().atMost(GENEROUS).until(() -> !lost.events.isEmpty());
			DistributedLockLostEvent event = lost.events.get(0);
			assertThat(event.getMethod().getName()).isEqualTo("run");
			assertThat(event.getKeys()).containsExactly("locks:long");
			assertThat(event.getCause()).isSameAs(outcome.thrown());
			assertThat(event.getSource()).isInstanceOf(LongJob.class);
			assertThat(output).contains("ERROR")
				.contains("Lost the distributed lock on [locks:long] while")
				.contains("LongJob.run was still running");
		});
	}

	record Outcome(boolean heldAfterLoss, RedlockException thrown) {
	}

	static class LongJob {

		@DistributedLock(key = "'long'", ttl = "1s")
		public Outcome run(CountDownLatch started) {
			LockHandle lock = DistributedLocks.currentLock().orElseThrow();
			started.countDown();
			await().atMost(GENEROUS).until(() -> !lock.isHeld());
			boolean held = DistributedLocks.currentLock().orElseThrow().isHeld();
			return new Outcome(held, catchThrowableOfType(RedlockException.class, lock::throwIfLost));
		}

	}

	static class LostLocks implements ApplicationListener<DistributedLockLostEvent> {

		final List<DistributedLockLostEvent> events = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(DistributedLockLostEvent event) {
			this.events.add(event);
		}

	}

}
