package dev.redlock.benchmarks.contenders;

import java.time.Duration;
import java.util.List;

import io.lettuce.core.RedisURI;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.integration.redis.util.RedisLockRegistry;
import org.springframework.integration.redis.util.RedisLockRegistry.RedisLockType;
import org.springframework.integration.support.locks.DistributedLock;

/**
 * Spring Integration's {@code RedisLockRegistry} on a single node, over Spring Data Redis'
 * {@code LettuceConnectionFactory}, in its spin mode (retries every 100 ms, its default) or
 * its Pub/Sub mode. Within one registry, threads queue on a local lock first, so the
 * contended scenario gives every worker its own registry, as separate processes would have.
 */
public final class SpringRegistryContender implements Contender {

	private final RedisLockType type;

	private SpringRegistryContender(RedisLockType type) {
		this.type = type;
	}

	/** {@link RedisLockType#SPIN_LOCK}, the registry's default. */
	public static SpringRegistryContender spin() {
		return new SpringRegistryContender(RedisLockType.SPIN_LOCK);
	}

	/** {@link RedisLockType#PUB_SUB_LOCK}. */
	public static SpringRegistryContender pubSub() {
		return new SpringRegistryContender(RedisLockType.PUB_SUB_LOCK);
	}

	@Override
	public String id() {
		return (this.type == RedisLockType.SPIN_LOCK) ? "spring-spin" : "spring-pubsub";
	}

	@Override
	public String description() {
		return (this.type == RedisLockType.SPIN_LOCK)
				? "Spring Integration RedisLockRegistry, SPIN_LOCK (polls every 100 ms), one node"
				: "Spring Integration RedisLockRegistry, PUB_SUB_LOCK, one node";
	}

	@Override
	public boolean runsOn(int nodes) {
		return nodes == 1;
	}

	@Override
	public LockClient connect(List<String> uris, SharedResources shared) {
		RedisURI uri = RedisURI.create(uris.get(0));
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(uri.getHost(), uri.getPort()),
				LettuceClientConfiguration.builder().clientResources(shared.lettuce()).build());
		factory.afterPropertiesSet();
		factory.start();
		// The ttl of every benchmark lock; obtain() below passes it again per lock.
		RedisLockRegistry registry = new RedisLockRegistry(factory, "bench:" + id(), Duration.ofSeconds(5));
		registry.setRedisLockType(this.type);
		return new LockClient() {

			@Override
			public Held acquire(String key, Duration ttl, Duration maxWait) throws InterruptedException {
				DistributedLock lock = registry.obtain(key);
				return lock.tryLock(maxWait, ttl) ? lock::unlock : null;
			}

			@Override
			public void close() {
				registry.destroy();
				factory.destroy();
			}

		};
	}

}
