package dev.redlock.sample.kv;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.redlock.sample.kv.KeyValueController.LockedWrite;
import dev.redlock.sample.Work;
import dev.redlock.spring.DistributedLock;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Service;

/**
 * Key-value pairs kept in Redis; a locked write sets the value and keeps its lock while "a
 * job" runs for {@code sample.kv.hold-time}. The asynchronous writes hold it without holding
 * a thread: the starter keeps the lock of a method returning a {@link CompletableFuture}
 * until the future completes.
 */
@Service
class KeyValueService {

	private static final Log logger = LogFactory.getLog(KeyValueService.class);

	private final StringRedisTemplate redis;

	private final Duration holdTime;

	private final String instance;

	KeyValueService(StringRedisTemplate redis, @Value("${sample.kv.hold-time}") Duration holdTime,
			@Value("${sample.instance:${server.port:8080}}") String instance) {
		this.redis = redis;
		this.holdTime = holdTime;
		this.instance = instance;
	}

	/**
	 * One attempt at the lock. The returned future fails with a
	 * {@link dev.redlock.LockAcquisitionException} at once if another writer holds the key;
	 * otherwise the value is set and the future completes when the job is done and the lock
	 * released.
	 */
	@DistributedLock(key = "'kv:' + #key", ttl = "20s", waitTime = "0")
	public CompletableFuture<LockedWrite> lockAndSetIfFree(String key, String value) {
		return setAndHold(key, value);
	}

	/**
	 * Like the seed's {@code retryCount: -1}, waits as long as it takes (up to a minute here)
	 * rather than failing; the wait blocks the calling thread, so call it from a background one.
	 */
	@DistributedLock(key = "'kv:' + #key", ttl = "20s", waitTime = "60s")
	public CompletableFuture<LockedWrite> lockAndSetWhenFree(String key, String value) {
		return setAndHold(key, value);
	}

	/** The blocking variant: returns once it has waited for the lock, set the value and held it. */
	@DistributedLock(key = "'kv:' + #key", ttl = "20s", waitTime = "60s")
	public LockedWrite lockAndSet(String key, String value) {
		long started = System.nanoTime();
		logger.info("Lock on " + key + " acquired, setting " + key + "=" + value + " and holding it for " + this.holdTime);
		set(key, value);
		Work.simulate(this.holdTime);
		logger.info("Done, releasing the lock on " + key);
		return new LockedWrite(key, value, this.instance, 0, Duration.ofNanos(System.nanoTime() - started).toMillis());
	}

	private CompletableFuture<LockedWrite> setAndHold(String key, String value) {
		long started = System.nanoTime();
		logger.info("Lock on " + key + " acquired, setting " + key + "=" + value + " and holding it for " + this.holdTime);
		set(key, value);
		// The job "runs" on a timer, as the seed's `await sleep(10000)`: no thread waits for it.
		return CompletableFuture.supplyAsync(() -> {
			logger.info("Done, releasing the lock on " + key);
			return new LockedWrite(key, value, this.instance, 0, Duration.ofNanos(System.nanoTime() - started).toMillis());
		}, CompletableFuture.delayedExecutor(this.holdTime.toNanos(), TimeUnit.NANOSECONDS));
	}

	void set(String key, String value) {
		this.redis.opsForValue().set("kv:" + key, value);
	}

	String get(String key) {
		return this.redis.opsForValue().get("kv:" + key);
	}

}
