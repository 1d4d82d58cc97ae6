package dev.redlock.sample;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.redlock.Lock;
import dev.redlock.spring.DistributedLockObserver;
import dev.redlock.spring.DistributedLockTemplate;
import dev.redlock.spring.LockOutcome;
import dev.redlock.testkit.RedisServer;
import dev.redlock.testkit.RedisServersExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.scheduling.config.ScheduledTask;
import org.springframework.scheduling.config.ScheduledTaskHolder;
import org.springframework.scheduling.config.TaskExecutionOutcome;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of the app on the same nodes and data store, whose schedulers fire the daily
 * job at the same moment. The task run is the one the scheduler registered, so what is tested
 * is what the scheduler calls, proxy or not.
 */
class DailyReportSchedulingTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private static final RedisServer store = RedisServer.start();

	private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

	private final ExecutorService schedulers = Executors.newFixedThreadPool(2);

	/** How each instance's locked calls of the daily job ended, by instance. */
	private final Map<String, List<LockOutcome>> outcomes = new ConcurrentHashMap<>();

	@AfterEach
	void stopInstances() {
		this.schedulers.shutdownNow();
		this.instances.forEach(ConfigurableApplicationContext::close);
	}

	@AfterAll
	static void stopStore() {
		store.close();
	}

	@Test
	void whenBothSchedulersFireAtOnceOneInstanceRunsTheJobAndTheOtherSkips() throws Exception {
		store.flushAll();
		ScheduledTask first = dailyReportTask(start("instance-a"));
		ScheduledTask second = dailyReportTask(start("instance-b"));
		// A first lock costs each instance script loads and connection set-up: pay them before
		// the schedulers fire, so that a loaded machine does not start one call seconds after
		// the other.
		this.instances.forEach((instance) -> instance.getBean(DistributedLockTemplate.class)
			.execute("warm-up", Duration.ofSeconds(10), () -> true));

		CountDownLatch fire = new CountDownLatch(1);
		List<Future<?>> runs = List.of(this.schedulers.submit(() -> runWhenFired(first, fire)),
				this.schedulers.submit(() -> runWhenFired(second, fire)));
		fire.countDown();
		for (Future<?> run : runs) {
			run.get(2, TimeUnit.MINUTES);
		}

		// The job takes seconds (sample.report.work-time, longer than the lock's 1 s wait), so
		// without the lock both would find the report not done and both run it, and with it the
		// other instance gives up while the winner still holds the lock.
		assertThat(List.of(first, second)).extracting((task) -> task.getTask().getLastExecutionOutcome().status())
			.containsOnly(TaskExecutionOutcome.Status.SUCCESS);
		List<String> ran = RedisContents.list(store.uri(), "report:runs:" + LocalDate.now());
		assertThat(ran).as("instances that ran today's report").hasSize(1).isSubsetOf("instance-a", "instance-b");
		String winner = ran.get(0);
		String other = winner.equals("instance-a") ? "instance-b" : "instance-a";
		// The other instance's locked method returned without running the job: its call was
		// skipped because the winner held the lock, not run after it and found done.
		assertThat(this.outcomes).as("daily job lock outcomes per instance")
			.containsEntry(winner, List.of(LockOutcome.ACQUIRED))
			.containsEntry(other, List.of(LockOutcome.SKIPPED));
	}

	private ConfigurableApplicationContext start(String instance) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.initializers((starting) -> starting.getBeanFactory()
				.registerSingleton("dailyReportOutcomes", new DailyReportOutcomes(
						this.outcomes.computeIfAbsent(instance, (name) -> new CopyOnWriteArrayList<>()))))
			// Arguments, not the builder's default properties, which application.yml overrides.
			.run("--server.port=0", "--redlock.nodes=" + String.join(",", redis.uris()),
					"--spring.data.redis.url=" + store.uri(), "--sample.instance=" + instance,
					"--sample.report.work-time=3s");
		this.instances.add(context);
		return context;
	}

	/** The daily job as its instance's scheduler registered it. */
	private static ScheduledTask dailyReportTask(ConfigurableApplicationContext context) {
		List<ScheduledTask> tasks = context.getBeansOfType(ScheduledTaskHolder.class)
			.values()
			.stream()
			.flatMap((holder) -> holder.getScheduledTasks().stream())
			.filter((task) -> task.toString().contains("DailyReportJob."))
			.toList();
		assertThat(tasks).as("the daily report's scheduled tasks").hasSize(1);
		return tasks.get(0);
	}

	private static Void runWhenFired(ScheduledTask task, CountDownLatch fire) throws InterruptedException {
		fire.await();
		task.getTask().getRunnable().run();
		return null;
	}

	/** Records how the daily job's locked calls on one instance end: acquired, or skipped. */
	private record DailyReportOutcomes(List<LockOutcome> outcomes) implements DistributedLockObserver {

		@Override
		public Call started(String name, List<String> keys) {
			if (!name.contains("DailyReportJob.run")) {
				return new Call() {
				};
			}
			return new Call() {

				@Override
				public void acquired(Lock lock) {
					DailyReportOutcomes.this.outcomes.add(LockOutcome.ACQUIRED);
				}

				@Override
				public void notAcquired(LockOutcome outcome, Throwable failure) {
					DailyReportOutcomes.this.outcomes.add(outcome);
				}

			};
		}

	}

}
