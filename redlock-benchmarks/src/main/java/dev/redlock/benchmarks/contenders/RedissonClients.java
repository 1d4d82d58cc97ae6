package dev.redlock.benchmarks.contenders;

import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/** Creates Redisson clients on a run's shared event loops. */
final class RedissonClients {

	private RedissonClients() {
	}

	/**
	 * One single-server client. Pools keep Redisson's maximum sizes but open one connection
	 * up front instead of 24: the contended scenario starts a client per worker and node, and
	 * a pool grows to what its load needs during the warm-up anyway.
	 */
	static RedissonClient create(String uri, SharedResources shared) {
		Config config = new Config();
		config.setCodec(StringCodec.INSTANCE);
		config.setEventLoopGroup(shared.redissonEventLoops());
		config.setExecutor(shared.redissonExecutor());
		config.useSingleServer()
			.setAddress(uri)
			.setConnectionMinimumIdleSize(1)
			.setSubscriptionConnectionMinimumIdleSize(1);
		return Redisson.create(config);
	}

}
