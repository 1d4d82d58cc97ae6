package dev.redlock.spring;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import dev.redlock.Lock;
import dev.redlock.LockAcquisitionException;
import dev.redlock.Redlock;
import dev.redlock.spring.boot.RedlockAutoConfiguration;
import dev.redlock.testkit.RedisServersExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code IfLocked.SKIP}: a call whose lock another owner holds is skipped and returns the
 * empty value of its type; an outage is not mistaken for contention.
 */
class DistributedLockSkipTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RedlockAutoConfiguration.class))
		.withPropertyValues(RedisNodes.properties(redis))
		.withBean(Job.class);

	@Test
	void skipsEveryKindOfMethodWhileAnotherOwnerHoldsTheLock() {
		this.runner.run((context) -> {
			Job job = context.getBean(Job.class);
			Lock held = holdJobLock(context);
			try {
				job.run();
				assertThat(job.optional()).isEmpty();
				assertThat(job.value()).isNull();
				CompletableFuture<String> future = job.future();
				assertThat(future).isCompletedWithValue(null);
				StepVerifier.create(job.mono()).verifyComplete();
				StepVerifier.create(job.flux()).verifyComplete();
				assertThat(job.runs()).isZero();
			}
			finally {
				held.release();
			}
		});
	}

	@Test
	void runsWhenTheLockIsFree() {
		this.runner.run((context) -> {
			RedisNodes.warmUp(context);
			Job job = context.getBean(Job.class);
			job.run();
			assertThat(job.optional()).contains("done");
			assertThat(job.value()).isEqualTo("done");
			assertThat(job.future().join()).isEqualTo("done");
			StepVerifier.create(job.mono()).expectNext("done").verifyComplete();
			StepVerifier.create(job.flux()).expectNext("a", "b").verifyComplete();
			assertThat(job.runs()).isEqualTo(6);
		});
	}

	@Test
	void anOutageStillFails() {
		this.runner.run((context) -> {
			RedisNodes.warmUp(context);
			Job job = context.getBean(Job.class);
			redis.get(0).kill();
			redis.get(1).kill();
			assertThatExceptionOfType(LockAcquisitionException.class).isThrownBy(job::run)
				.satisfies((ex) -> assertThat(ex.isHeldByAnotherOwner()).isFalse());
			assertThat(job.future()).failsWithin(Duration.ofSeconds(30))
				.withThrowableThat()
				.havingCause()
				.isInstanceOf(LockAcquisitionException.class);
			StepVerifier.create(job.mono()).expectError(LockAcquisitionException.class).verify(Duration.ofSeconds(30));
			assertThat(job.runs()).isZero();
		});
	}

	private static Lock holdJobLock(AssertableApplicationContext context) {
		return context.getBean(Redlock.class).acquire(List.of("locks:job"), Duration.ofSeconds(30), Duration.ofSeconds(20));
	}

	static class Job {

		private final AtomicInteger runs = new AtomicInteger();

		public int runs() {
			return this.runs.get();
		}

		@DistributedLock(key = "'job'", waitTime = "0", ifLocked = IfLocked.SKIP)
		public void run() {
			this.runs.incrementAndGet();
		}

		@DistributedLock(key = "'job'", waitTime = "0", ifLocked = IfLocked.SKIP)
		public Optional<String> optional() {
			this.runs.incrementAndGet();
			return Optional.of("done");
		}

		@DistributedLock(key = "'job'", waitTime = "100ms", ifLocked = IfLocked.SKIP)
		public String value() {
			this.runs.incrementAndGet();
			return "done";
		}

		@DistributedLock(key = "'job'", waitTime = "0", ifLocked = IfLocked.SKIP)
		public CompletableFuture<String> future() {
			this.runs.incrementAndGet();
			return CompletableFuture.completedFuture("done");
		}

		@DistributedLock(key = "'job'", waitTime = "0", ifLocked = IfLocked.SKIP)
		public Mono<String> mono() {
			return Mono.fromSupplier(() -> {
				this.runs.incrementAndGet();
				return "done";
			});
		}

		@DistributedLock(key = "'job'", waitTime = "0", ifLocked = IfLocked.SKIP)
		public Flux<String> flux() {
			return Flux.defer(() -> {
				this.runs.incrementAndGet();
				return Flux.just("a", "b");
			});
		}

	}

}
