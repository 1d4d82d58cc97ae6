package dev.redlock;

import java.util.List;

import dev.redlock.testkit.RedisServersExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class FiveNodeRedlockTests extends RedlockContractTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(5);

	@Override
	List<TestNode> nodes() {
		return TestNode.of(redis.servers());
	}

}
