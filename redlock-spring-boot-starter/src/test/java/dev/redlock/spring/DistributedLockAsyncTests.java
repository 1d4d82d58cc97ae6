package dev.redlock.spring;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

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
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Methods returning a {@link CompletableFuture}, a {@link Mono} or a {@link Flux} hold their
 * lock until the result completes, not until the method returns.
 */
class DistributedLockAsyncTests {

	private static final Duration GENEROUS = Duration.ofSeconds(20);

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private static RedisNodes nodes;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RedlockAutoConfiguration.class))
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
	void aFutureHoldsTheLockUntilItCompletesAndTheLockIsFreeWhenItDoes() {
		this.runner.run((context) -> {
			Work work = context.getBean(Work.class);
			CompletableFuture<String> pending = new CompletableFuture<>();
			CompletableFuture<String> result = work.later("f", pending);
			LockHandle lock = work.lastLock();
			assertThat(result).isNotDone();
			assertThat(lock.isHeld()).isTrue();
			assertThat(nodes.holdEverywhere(List.of("locks:async:f"), lock.value())).isTrue();
			assertThat(context.getBean(Redlock.class).tryAcquire("locks:async:f", Duration.ofSeconds(5))).isEmpty();
			pending.complete("done");
			assertThat(result.join()).isEqualTo("done");
			assertThat(nodes.releasedEverywhere("locks:async:f")).isTrue();
			assertThat(lock.isHeld()).isFalse();
		});
	}

	@Test
	void aFailedFutureFailsWithTheSameExceptionAndReleases() {
		this.runner.run((context) -> {
			Work work = context.getBean(Work.class);
			CompletableFuture<String> pending = new CompletableFuture<>();
			CompletableFuture<String> result = work.later("g", pending);
			IllegalStateException failure = new IllegalStateException("boom");
			pending.completeExceptionally(failure);
			assertThat(result).failsWithin(GENEROUS).withThrowableThat().havingCause().isSameAs(failure);
			assertThat(nodes.releasedEverywhere("locks:async:g")).isTrue();
		});
	}

	@Test
	void cancellingTheReturnedFutureCancelsTheWorkAndReleases() {
		this.runner.run((context) -> {
			Work work = context.getBean(Work.class);
			CompletableFuture<String> pending = new CompletableFuture<>();
			CompletableFuture<String> result = work.later("h", pending);
			result.cancel(true);
			assertThat(pending).isCancelled();
			await().atMost(GENEROUS).until(() -> nodes.absentEverywhere("locks:async:h"));
		});
	}

	@Test
	void aCompletionStageIsHeldUntilItCompletes() {
		this.runner.run((context) -> {
			Work work = context.getBean(Work.class);
			CompletableFuture<String> pending = new CompletableFuture<>();
			CompletionStage<String> result = work.stage("s", pending);
			assertThat(nodes.absentEverywhere("locks:async:s")).isFalse();
			pending.complete("done");
			assertThat(result.toCompletableFuture().join()).isEqualTo("done");
			await().atMost(GENEROUS).until(() -> nodes.absentEverywhere("locks:async:s"));
		});
	}

	@Test
	void aFutureWaitsForABusyLockAndFailsWithTheCoresException() {
		this.runner.run((context) -> {
			Lock held = context.getBean(Redlock.class).acquire("locks:async:busy", Duration.ofSeconds(30));
			try {
				CompletableFuture<String> result = context.getBean(Work.class).later("busy", new CompletableFuture<>());
				assertThat(result).failsWithin(GENEROUS)
					.withThrowableThat()
					.havingCause()
					.isInstanceOf(LockAcquisitionException.class);
			}
			finally {
				held.release();
			}
		});
	}

	@Test
	void aMonoTakesTheLockWhenSubscribedAndHoldsItUntilItCompletes() {
		this.runner.run((context) -> {
			Work work = context.getBean(Work.class);
			Sinks.One<String> sink = Sinks.one();
			AtomicReference<LockHandle> seen = new AtomicReference<>();
			Mono<String> mono = work.mono("m", sink.asMono(), seen);
			assertThat(nodes.releasedEverywhere("locks:reactive:m")).isTrue();
			AtomicReference<String> value = new AtomicReference<>();
			Disposable subscription = mono.subscribe(value::set);
			try {
				await().atMost(GENEROUS).until(() -> seen.get() != null);
				assertThat(seen.get().resources()).containsExactly("locks:reactive:m");
				assertThat(nodes.holdEverywhere(List.of("locks:reactive:m"), seen.get().value())).isTrue();
				sink.tryEmitValue("done");
				await().atMost(GENEROUS).until(() -> "done".equals(value.get()));
				assertThat(nodes.releasedEverywhere("locks:reactive:m")).isTrue();
			}
			finally {
				subscription.dispose();
			}
		});
	}

	@Test
	void aFluxHoldsTheLockUntilItCompletesOrIsCancelled() {
		this.runner.run((context) -> {
			Work work = context.getBean(Work.class);
			Sinks.Many<String> sink = Sinks.many().unicast().onBackpressureBuffer();
			AtomicReference<LockHandle> seen = new AtomicReference<>();
			StepVerifier.create(work.flux("x", sink.asFlux(), seen))
				.then(() -> sink.tryEmitNext("a"))
				.expectNext("a")
				.then(() -> assertThat(nodes.holdEverywhere(List.of("locks:reactive:x"), seen.get().value())).isTrue())
				.then(() -> sink.tryEmitNext("b"))
				.expectNext("b")
				.then(sink::tryEmitComplete)
				.expectComplete()
				.verify(GENEROUS);
			assertThat(nodes.releasedEverywhere("locks:reactive:x")).isTrue();

			Sinks.Many<String> endless = Sinks.many().unicast().onBackpressureBuffer();
			AtomicReference<LockHandle> cancelled = new AtomicReference<>();
			StepVerifier.create(work.flux("y", endless.asFlux(), cancelled))
				.then(() -> endless.tryEmitNext("a"))
				.expectNext("a")
				.thenCancel()
				.verify(GENEROUS);
			await().atMost(GENEROUS).until(() -> nodes.absentEverywhere("locks:reactive:y"));
		});
	}

	@Test
	void aReactiveCallOnABusyLockFailsWithTheCoresException() {
		this.runner.run((context) -> {
			Lock held = context.getBean(Redlock.class).acquire("locks:reactive:busy", Duration.ofSeconds(30));
			try {
				StepVerifier.create(context.getBean(Work.class).mono("busy", Mono.just("never"), new AtomicReference<>()))
					.expectError(LockAcquisitionException.class)
					.verify(GENEROUS);
			}
			finally {
				held.release();
			}
		});
	}

	static class Work {

		private volatile LockHandle lastLock;

		public LockHandle lastLock() {
			return this.lastLock;
		}

		@DistributedLock(key = "'async:' + #name", waitTime = "300ms")
		public CompletableFuture<String> later(String name, CompletableFuture<String> pending) {
			this.lastLock = DistributedLocks.currentLock().orElseThrow();
			return pending;
		}

		@DistributedLock(key = "'async:' + #name")
		public CompletionStage<String> stage(String name, CompletableFuture<String> pending) {
			return pending.minimalCompletionStage();
		}

		@DistributedLock(key = "'reactive:' + #name", waitTime = "300ms")
		public Mono<String> mono(String name, Mono<String> value, AtomicReference<LockHandle> seen) {
			return Mono.deferContextual((context) -> {
				seen.set(context.get(LockHandle.class));
				return value;
			});
		}

		@DistributedLock(key = "'reactive:' + #name")
		public Flux<String> flux(String name, Flux<String> values, AtomicReference<LockHandle> seen) {
			return Flux.deferContextual((context) -> {
				seen.set(context.get(LockHandle.class));
				return values;
			});
		}

	}

}
