package dev.redlock;

import dev.redlock.testkit.RedisServers;
import dev.redlock.testkit.RedisServersExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class FiveNodeRedlockTests extends RedlockContractTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(5);

	@Override
	RedisServers servers() {
		return redis.servers();
	}

}
