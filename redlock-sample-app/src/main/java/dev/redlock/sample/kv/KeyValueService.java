package dev.redlock.sample.kv;

import java.time.Duration;

import dev.redlock.sample.kv.KeyValueController.LockedWrite;
import dev.redlock.sample.Work;
import dev.redlock.spring.DistributedLock;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Service;

/** Key-value pairs kept in Redis; the locked write holds its lock while "a job" runs. */
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
	 * Like the seed's {@code retryCount: -1}, a second writer waits as long as it takes (up to
	 * a minute here) rather than failing.
	 */
	@DistributedLock(key = "'kv:' + #key", ttl = "20s", waitTime = "60s")
	public LockedWrite lockAndSet(String key, String value) {
		long started = System.nanoTime();
		logger.info("Lock on " + key + " acquired, setting " + key + "=" + value + " and holding it for " + this.holdTime);
		set(key, value);
		Work.simulate(this.holdTime);
		logger.info("Done, releasing the lock on " + key);
		return new LockedWrite(key, value, this.instance, 0, Duration.ofNanos(System.nanoTime() - started).toMillis());
	}

	void set(String key, String value) {
		this.redis.opsForValue().set("kv:" + key, value);
	}

	String get(String key) {
		return this.redis.opsForValue().get("kv:" + key);
	}


}
