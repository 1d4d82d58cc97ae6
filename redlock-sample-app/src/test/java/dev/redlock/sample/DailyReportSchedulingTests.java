package dev.redlock.sample;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

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

		CountDownLatch fire = new CountDownLatch(1);
		List<Future<?>> runs = List.of(this.schedulers.submit(() -> runWhenFired(first, fire)),
				this.schedulers.submit(() -> runWhenFired(second, fire)));
		fire.countDown();
		for (Future<?> run : runs) {
			run.get(2, TimeUnit.MINUTES);
		}

		// The job takes seconds (sample.report.work-time), so without the lock both would find
		// the report not done and both run it.
		assertThat(List.of(first, second)).extracting((task) -> task.getTask().getLastExecutionOutcome().status())
			.containsOnly(TaskExecutionOutcome.Status.SUCCESS);
		assertThat(RedisContents.list(store.uri(), "report:runs:" + LocalDate.now())).as("instances that ran today's report").hasSize(1).isSubsetOf("instance-a", "instance-b");
	}

	private ConfigurableApplicationContext start(String instance) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.properties("server.port=0", "redlock.nodes=" + String.join(",", redis.uris()),
					"spring.data.redis.url=" + store.uri(), "sample.instance=" + instance,
					"sample.report.work-time=2s")
			.run();
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

}
