package dev.redlock;

import java.util.List;

import dev.redlock.testkit.RedisServersExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class ThreeNodeRedlockTests extends RedlockContractTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	@Override
	List<TestNode> nodes() {
		return TestNode.of(redis.servers());
	}

}
