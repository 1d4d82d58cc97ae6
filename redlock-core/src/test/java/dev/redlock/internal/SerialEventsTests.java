package dev.redlock.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The acquisition driver's events (replies, timers, notifications) run one at a time: the
 * old driver started a second attempt when a notification met a timer task already running.
 */
class SerialEventsTests {

	@Test
	void eventsFromManyThreadsNeverRunAtOnceAndNoneIsLost() throws Exception {
		List<Throwable> failures = new ArrayList<>();
		SerialEvents events = new SerialEvents(failures::add);
		AtomicInteger running = new AtomicInteger();
		AtomicInteger overlaps = new AtomicInteger();
		int[] count = new int[1];
		int threads = 8;
		int perThread = 5_000;
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		CountDownLatch start = new CountDownLatch(1);
		for (int t = 0; t < threads; t++) {
			pool.execute(() -> {
				try {
					start.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				for (int i = 0; i < perThread; i++) {
					events.run(() -> {
						if (running.incrementAndGet() > 1) {
							overlaps.incrementAndGet();
						}
						count[0]++;
						running.decrementAndGet();
					});
				}
			});
		}
		start.countDown();
		pool.shutdown();
		assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
		assertThat(overlaps).hasValue(0);
		// A plain int, written only inside events: correct only if they are serialised.
		assertThat(count[0]).isEqualTo(threads * perThread);
		assertThat(failures).isEmpty();
	}

	@Test
	void anEventSubmittedFromInsideAnotherRunsAfterItNotWithinIt() {
		SerialEvents events = new SerialEvents((ex) -> {
		});
		List<String> order = new ArrayList<>();
		events.run(() -> {
			order.add("outer start");
			events.run(() -> order.add("inner"));
			order.add("outer end");
		});
		assertThat(order).containsExactly("outer start", "outer end", "inner");
	}

	@Test
	void aFailingEventIsReportedAndTheNextStillRuns() {
		List<Throwable> failures = new ArrayList<>();
		SerialEvents events = new SerialEvents(failures::add);
		List<String> ran = new ArrayList<>();
		events.run(() -> {
			events.run(() -> ran.add("next"));
			throw new IllegalStateException("boom");
		});
		assertThat(failures).singleElement().extracting(Throwable::getMessage).isEqualTo("boom");
		assertThat(ran).containsExactly("next");
	}

}
