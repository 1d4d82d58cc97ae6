package dev.redlock.sample.stock;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import dev.redlock.sample.Work;
import dev.redlock.spring.DistributedLock;
import dev.redlock.spring.IfLocked;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Seed 003: a daily job every instance schedules and only one runs. The others find the
 * lock taken and skip: for a scheduled job "another instance is doing it" is normal, not an
 * error. A marker per day keeps a late instance from running it again after the winner
 * released the lock.
 * <p>
 * The scheduler calls the locked method itself: a {@code @Scheduled} method that called
 * {@link #run()} on {@code this} would bypass the Spring proxy, and with it the lock.
 */
@Component
public class DailyReportJob {

	private static final Log logger = LogFactory.getLog(DailyReportJob.class);

	private final StringRedisTemplate redis;

	private final String instance;

	private final Duration workTime;

	DailyReportJob(StringRedisTemplate redis, @Value("${sample.instance:${server.port:8080}}") String instance,
			@Value("${sample.report.work-time}") Duration workTime) {
		this.redis = redis;
		this.instance = instance;
		this.workTime = workTime;
	}

	/**
	 * @return whether this instance ran the job, {@code false} if it was done already today,
	 * {@code null} if it skipped because another instance held the lock
	 */
	@Scheduled(cron = "${sample.report.cron}")
	@DistributedLock(key = "'daily-report:' + T(java.time.LocalDate).now()", ttl = "1m", waitTime = "1s",
			ifLocked = IfLocked.SKIP)
	public Boolean run() {
		return runUnlocked();
	}

	/**
	 * The unlocked variant: check, run, mark. Two instances that check at once both find the
	 * report not done and both run it.
	 */
	public Boolean runUnlocked() {
		String day = LocalDate.now().toString();
		if (Boolean.TRUE.equals(this.redis.hasKey("report:done:" + day))) {
			return false;
		}
		logger.info("Instance " + this.instance + " runs the daily report for " + day);
		Work.simulate(this.workTime);
		this.redis.opsForList().rightPush("report:runs:" + day, this.instance);
		this.redis.opsForValue().set("report:done:" + day, this.instance);
		return true;
	}

	/** Forgets today's runs, so the demo can be repeated. */
	public void reset() {
		String day = LocalDate.now().toString();
		this.redis.delete(List.of("report:done:" + day, "report:runs:" + day));
	}

	public List<String> runs() {
		List<String> runs = this.redis.opsForList().range("report:runs:" + LocalDate.now(), 0, -1);
		return (runs != null) ? runs : List.of();
	}

}
