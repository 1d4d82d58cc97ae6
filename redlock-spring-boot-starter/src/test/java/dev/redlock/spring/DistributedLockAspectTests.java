package dev.redlock.spring;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The aspect on real nodes: mutual exclusion, parallelism across keys, reentrancy, the
 * method's own exceptions, and failing when the lock stays busy. The beans are CGLIB proxies,
 * whose own fields are never set, so tests read the beans' state through methods.
 */
class DistributedLockAspectTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private static RedisNodes nodes;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RedlockAutoConfiguration.class))
		.withPropertyValues(RedisNodes.properties(redis))
		.withBean(Counter.class)
		.withBean(Meeting.class)
		.withBean(Inner.class)
		.withBean(Outer.class)
		.withBean(Failing.class);

	@BeforeAll
	static void connect() {
		nodes = new RedisNodes(redis);
	}

	@AfterAll
	static void disconnect() {
		nodes.close();
	}

	@Test
	void callsOnOneKeyNeverOverlapAndLoseNoUpdate() {
		this.runner.run((context) -> {
			Counter counter = context.getBean(Counter.class);
			int threads = 6;
			int callsEach = 10;
			ExecutorService executor = Executors.newFixedThreadPool(threads);
			try {
				CountDownLatch start = new CountDownLatch(1);
				List<Future<?>> calls = new ArrayList<>();
				for (int i = 0; i < threads; i++) {
					calls.add(executor.submit(() -> {
						start.await();
						for (int j = 0; j < callsEach; j++) {
							counter.increment();
						}
						return null;
					}));
				}
				start.countDown();
				for (Future<?> call : calls) {
					call.get(2, TimeUnit.MINUTES);
				}
			}
			finally {
				executor.shutdownNow();
			}
			assertThat(counter.overlaps()).isZero();
			assertThat(counter.value()).isEqualTo(threads * callsEach);
			assertThat(nodes.releasedEverywhere("locks:counter")).isTrue();
		});
	}

	@Test
	void callsOnDifferentKeysRunAtTheSameTime() {
		this.runner.run((context) -> {
			Meeting meeting = context.getBean(Meeting.class);
			CountDownLatch bothInside = new CountDownLatch(2);
			ExecutorService executor = Executors.newFixedThreadPool(2);
			try {
				Future<Boolean> a = executor.submit(() -> meeting.meet("a", bothInside));
				Future<Boolean> b = executor.submit(() -> meeting.meet("b", bothInside));
				assertThat(a.get(1, TimeUnit.MINUTES)).isTrue();
				assertThat(b.get(1, TimeUnit.MINUTES)).isTrue();
			}
			finally {
				executor.shutdownNow();
			}
		});
	}

	@Test
	void holdsTheLockOnTheNodesWhileTheMethodRunsAndReleasesItAfter() {
		this.runner.run((context) -> {
			Inner inner = context.getBean(Inner.class);
			LockHandle seen = inner.work(5);
			assertThat(inner.heldDuringCall()).isTrue();
			assertThat(seen.resources()).containsExactly("locks:item:5");
			assertThat(seen.isHeld()).isFalse();
			assertThat(nodes.releasedEverywhere("locks:item:5")).isTrue();
			assertThat(DistributedLocks.currentLock()).isEmpty();
		});
	}

	@Test
	void observersHearOfTheReleaseBeforeTheNodesDoSoNoSuccessorIsSeenToAcquireFirst() {
		this.runner.withBean(ReleaseWatcher.class).run((context) -> {
			LockHandle seen = context.getBean(Inner.class).work(6);
			// Heard after the release, a waiter could be seen holding the key before the
			// holder was seen letting it go: the nodes hand it on before they answer.
			assertThat(context.getBean(ReleaseWatcher.class).valuesWhenReleased).containsExactly(seen.value(),
					seen.value(), seen.value());
			assertThat(nodes.releasedEverywhere("locks:item:6")).isTrue();
		});
	}

	@Test
	void aNestedCallWithTheSameKeyJoinsTheOuterLock() {
		this.runner.run((context) -> {
			RedisNodes.warmUp(context);
			List<LockHandle> handles = context.getBean(Outer.class).sameKey(7);
			assertThat(handles).hasSize(2);
			assertThat(handles.get(1)).isSameAs(handles.get(0));
			assertThat(handles.get(0).resources()).containsExactly("locks:item:7");
			assertThat(nodes.releasedEverywhere("locks:item:7")).isTrue();
		});
	}

	@Test
	void aNestedCallOnPartOfTheOuterKeysJoinsTooAndTheOuterLockOutlivesIt() {
		this.runner.run((context) -> {
			RedisNodes.warmUp(context);
			Outer outer = context.getBean(Outer.class);
			assertThat(outer.subset(8)).isTrue();
			assertThat(nodes.releasedEverywhere("locks:item:8")).isTrue();
			assertThat(nodes.releasedEverywhere("locks:other:8")).isTrue();
		});
	}

	@Test
	void aNestedCallOnOtherKeysTakesALockOfItsOwn() {
		this.runner.run((context) -> {
			List<LockHandle> handles = context.getBean(Outer.class).otherKey(9);
			assertThat(handles.get(0).resources()).containsExactly("locks:outer:9");
			assertThat(handles.get(1).resources()).containsExactly("locks:item:9");
			assertThat(handles.get(1).value()).isNotEqualTo(handles.get(0).value());
		});
	}

	@Test
	void aNestedCallNeedingMoreThanTheOuterKeysFailsAtOnce() {
		this.runner.run((context) -> assertThatIllegalStateException()
			.isThrownBy(() -> context.getBean(Outer.class).superset(10))
			.withMessageContaining("'locks:item:10' is already locked on this thread by")
			.withMessageContaining("Outer.superset"));
	}

	@Test
	void theMethodsOwnExceptionPassesThroughUntouchedAndTheLockIsReleased() {
		this.runner.run((context) -> {
			Failing failing = context.getBean(Failing.class);
			IOException checked = new IOException("disk full");
			assertThatExceptionOfType(IOException.class).isThrownBy(() -> failing.fail(checked)).isSameAs(checked);
			assertThat(nodes.releasedEverywhere("locks:failing")).isTrue();
			IllegalArgumentException unchecked = new IllegalArgumentException("bad amount");
			assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> failing.fail(unchecked))
				.isSameAs(unchecked);
			assertThat(nodes.releasedEverywhere("locks:failing")).isTrue();
			Lock next = context.getBean(Redlock.class).tryAcquire("locks:failing", Duration.ofSeconds(5)).orElseThrow();
			next.release();
		});
	}

	@Test
	void failsWithTheCoresExceptionWhenAnotherOwnerKeepsTheLock() {
		this.runner.run((context) -> {
			Redlock redlock = context.getBean(Redlock.class);
			Lock held = redlock.acquire("locks:item:11", Duration.ofSeconds(30));
			try {
				Inner inner = context.getBean(Inner.class);
				assertThatExceptionOfType(LockAcquisitionException.class).isThrownBy(() -> inner.busy(11))
					.satisfies((ex) -> {
						assertThat(ex.isHeldByAnotherOwner()).isTrue();
						assertThat(ex.resources()).containsExactly("locks:item:11");
						assertThat(ex.attemptCount()).isGreaterThan(1);
					});
				assertThatExceptionOfType(LockAcquisitionException.class).isThrownBy(() -> inner.once(11))
					.satisfies((ex) -> assertThat(ex.attemptCount()).isEqualTo(1));
				assertThat(inner.calls()).isZero();
				assertThat(nodes.holdEverywhere(List.of("locks:item:11"), held.value())).isTrue();
			}
			finally {
				held.release();
			}
		});
	}

	static class Counter {

		final AtomicInteger inside = new AtomicInteger();

		final AtomicInteger overlaps = new AtomicInteger();

		int value;

		@DistributedLock(key = "'counter'", waitTime = "1m")
		public void increment() throws InterruptedException {
			if (this.inside.incrementAndGet() != 1) {
				this.overlaps.incrementAndGet();
			}
			int read = this.value;
			Thread.sleep(1);
			this.value = read + 1;
			this.inside.decrementAndGet();
		}

		public int overlaps() {
			return this.overlaps.get();
		}

		public int value() {
			return this.value;
		}

	}

	static class Meeting {

		/** True only if the other call is inside its own lock at the same time. */
		@DistributedLock(key = "'meeting:' + #key")
		public boolean meet(String key, CountDownLatch bothInside) throws InterruptedException {
			bothInside.countDown();
			return bothInside.await(30, TimeUnit.SECONDS);
		}

	}

	/** What the nodes held under the lock's key when the observer heard of its release. */
	static class ReleaseWatcher implements DistributedLockObserver {

		volatile List<String> valuesWhenReleased;

		@Override
		public Call started(String name, List<String> keys) {
			return new Call() {

				@Override
				public void released() {
					ReleaseWatcher.this.valuesWhenReleased = nodes.values(keys.get(0));
				}

			};
		}

	}

	static class Inner {

		final AtomicInteger calls = new AtomicInteger();

		volatile boolean heldDuringCall;

		@DistributedLock(key = "'item:' + #id")
		public LockHandle work(long id) {
			LockHandle handle = DistributedLocks.currentLock().orElseThrow();
			this.heldDuringCall = handle.isHeld() && nodes.holdEverywhere(handle.resources(), handle.value());
			return handle;
		}

		@DistributedLock(key = "'item:' + #id", waitTime = "0")
		public LockHandle joined(long id) {
			return DistributedLocks.currentLock().orElseThrow();
		}

		@DistributedLock(key = { "'item:' + #id", "'other:' + #id" }, waitTime = "0")
		public void both(long id) {
		}

		@DistributedLock(key = "'item:' + #id", waitTime = "1s")
		public void busy(long id) {
			this.calls.incrementAndGet();
		}

		@DistributedLock(key = "'item:' + #id", waitTime = "0")
		public void once(long id) {
			this.calls.incrementAndGet();
		}

		public int calls() {
			return this.calls.get();
		}

		public boolean heldDuringCall() {
			return this.heldDuringCall;
		}

	}

	static class Outer {

		private final Inner inner;

		Outer(Inner inner) {
			this.inner = inner;
		}

		@DistributedLock(key = "'item:' + #id", waitTime = "0")
		public List<LockHandle> sameKey(long id) {
			LockHandle outer = DistributedLocks.currentLock().orElseThrow();
			LockHandle nested = this.inner.joined(id);
			assertThat(DistributedLocks.currentLock()).containsSame(outer);
			return List.of(outer, nested);
		}

		@DistributedLock(key = { "'item:' + #id", "'other:' + #id" })
		public boolean subset(long id) {
			LockHandle outer = DistributedLocks.currentLock().orElseThrow();
			this.inner.joined(id);
			return outer.isHeld() && nodes.holdEverywhere(outer.resources(), outer.value());
		}

		@DistributedLock(key = "'outer:' + #id")
		public List<LockHandle> otherKey(long id) {
			LockHandle outer = DistributedLocks.currentLock().orElseThrow();
			return List.of(outer, this.inner.joined(id));
		}

		@DistributedLock(key = "'item:' + #id")
		public void superset(long id) {
			this.inner.both(id);
		}

	}

	static class Failing {

		@DistributedLock(key = "'failing'")
		public void fail(Exception ex) throws Exception {
			assertThat(nodes.absentEverywhere("locks:failing")).isFalse();
			throw ex;
		}

	}

}
