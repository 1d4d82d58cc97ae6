package dev.redlock.spring;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.redlock.LockHandle;
import dev.redlock.spring.boot.RedlockAutoConfiguration;
import dev.redlock.testkit.RedisServersExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The lost-lock policy: the lock is lost by deleting its keys on every node, so that its next
 * automatic extension is refused by all of them.
 */
class DistributedLockOnLostTests {

	private static final Duration GENEROUS = Duration.ofSeconds(30);

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private static RedisNodes nodes;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, RedlockAutoConfiguration.class))
		.withPropertyValues(RedisNodes.properties(redis))
		.withBean(Work.class);

	@BeforeAll
	static void connect() {
		nodes = new RedisNodes(redis);
	}

	@AfterAll
	static void disconnect() {
		nodes.close();
	}

	@Test
	void interruptStopsABlockingMethod() {
		this.runner.run((context) -> {
			Work work = context.getBean(Work.class);
			CountDownLatch started = new CountDownLatch(1);
			CompletableFuture<String> call = CompletableFuture.supplyAsync(() -> work.interruptible(started));
			assertThat(started.await(GENEROUS.toSeconds(), TimeUnit.SECONDS)).isTrue();
			nodes.deleteEverywhere("locks:interruptible");
			assertThat(call.get(GENEROUS.toSeconds(), TimeUnit.SECONDS)).isEqualTo("interrupted");
		});
	}

	@Test
	void logLetsABlockingMethodRunOn() {
		this.runner.withPropertyValues("redlock.on-lost=log").run((context) -> {
			Work work = context.getBean(Work.class);
			CountDownLatch started = new CountDownLatch(1);
			CompletableFuture<String> call = CompletableFuture.supplyAsync(() -> work.logged(started));
			assertThat(started.await(GENEROUS.toSeconds(), TimeUnit.SECONDS)).isTrue();
			nodes.deleteEverywhere("locks:logged");
			assertThat(call.get(GENEROUS.toSeconds(), TimeUnit.SECONDS)).isEqualTo("ran on after the loss");
		});
	}

	@Test
	void thePropertyDefaultAppliesToMethodsThatSetNoPolicy() {
		this.runner.withPropertyValues("redlock.on-lost=interrupt").run((context) -> {
			Work work = context.getBean(Work.class);
			CountDownLatch started = new CountDownLatch(1);
			CompletableFuture<String> call = CompletableFuture.supplyAsync(() -> work.byDefault(started));
			assertThat(started.await(GENEROUS.toSeconds(), TimeUnit.SECONDS)).isTrue();
			nodes.deleteEverywhere("locks:by-default");
			assertThat(call.get(GENEROUS.toSeconds(), TimeUnit.SECONDS)).isEqualTo("interrupted");
		});
	}

	@Test
	void interruptFailsACompletableFutureAndCancelsTheWorkBehindIt() {
		this.runner.run((context) -> {
			Work work = context.getBean(Work.class);
			CompletableFuture<String> behind = new CompletableFuture<>();
			CompletableFuture<String> result = work.future(behind);
			await().atMost(GENEROUS).until(() -> nodes.values("locks:future").stream().allMatch((v) -> v != null));
			nodes.deleteEverywhere("locks:future");
			Throwable failure = catchThrowable(() -> result.get(GENEROUS.toSeconds(), TimeUnit.SECONDS));
			assertThat(failure).isInstanceOf(ExecutionException.class)
				.cause()
				.isInstanceOf(DistributedLockLostException.class)
				.hasMessageContaining("Lost the distributed lock on [locks:future]");
			assertThat(behind).isCancelled();
		});
	}

	@Test
	void interruptCancelsAMonoAndFailsItsSubscriber() {
		this.runner.run((context) -> {
			AtomicBoolean cancelled = new AtomicBoolean();
			Mono<String> mono = context.getBean(Work.class).mono(cancelled);
			StepVerifier.create(mono)
				.then(() -> await().atMost(GENEROUS)
					.until(() -> nodes.values("locks:mono").stream().allMatch((v) -> v != null)))
				.then(() -> nodes.deleteEverywhere("locks:mono"))
				.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(DistributedLockLostException.class)
					.hasMessageContaining("locks:mono"))
				.verify(GENEROUS);
			assertThat(cancelled).isTrue();
		});
	}

	@Test
	void interruptCancelsAFluxAndFailsItsSubscriber() {
		this.runner.run((context) -> {
			AtomicBoolean cancelled = new AtomicBoolean();
			Flux<Long> flux = context.getBean(Work.class).flux(cancelled);
			StepVerifier.create(flux)
				.then(() -> await().atMost(GENEROUS)
					.until(() -> nodes.values("locks:flux").stream().allMatch((v) -> v != null)))
				.then(() -> nodes.deleteEverywhere("locks:flux"))
				.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(DistributedLockLostException.class))
				.verify(GENEROUS);
			assertThat(cancelled).isTrue();
		});
	}

	static class Work {

		@DistributedLock(key = "'interruptible'", ttl = "1s", onLost = OnLost.INTERRUPT)
		public String interruptible(CountDownLatch started) {
			return waitForInterrupt(started);
		}

		@DistributedLock(key = "'by-default'", ttl = "1s")
		public String byDefault(CountDownLatch started) {
			return waitForInterrupt(started);
		}

		@DistributedLock(key = "'logged'", ttl = "1s", onLost = OnLost.LOG)
		public String logged(CountDownLatch started) {
			started.countDown();
			LockHandle lock = DistributedLocks.currentLock().orElseThrow();
			await().atMost(GENEROUS).until(() -> !lock.isHeld());
			return Thread.currentThread().isInterrupted() ? "interrupted" : "ran on after the loss";
		}

		@DistributedLock(key = "'future'", ttl = "1s", onLost = OnLost.INTERRUPT)
		public CompletableFuture<String> future(CompletableFuture<String> behind) {
			return behind;
		}

		@DistributedLock(key = "'mono'", ttl = "1s", onLost = OnLost.INTERRUPT)
		public Mono<String> mono(AtomicBoolean cancelled) {
			return Mono.<String>never().doOnCancel(() -> cancelled.set(true));
		}

		@DistributedLock(key = "'flux'", ttl = "1s", onLost = OnLost.INTERRUPT)
		public Flux<Long> flux(AtomicBoolean cancelled) {
			return Flux.<Long>never().doOnCancel(() -> cancelled.set(true));
		}

		private static String waitForInterrupt(CountDownLatch started) {
			started.countDown();
			try {
				new CountDownLatch(1).await(GENEROUS.toSeconds(), TimeUnit.SECONDS);
				return "not interrupted";
			}
			catch (InterruptedException ex) {
				return "interrupted";
			}
		}

	}

}
