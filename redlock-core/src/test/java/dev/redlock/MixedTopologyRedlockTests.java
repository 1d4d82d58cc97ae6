package dev.redlock;

import java.util.ArrayList;
import java.util.List;

import dev.redlock.testkit.RedisServersExtension;
import dev.redlock.testkit.SentinelGroupExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract over a Sentinel group and two standalone masters. The group comes first, so that
 * the tests that take down, pause or restart node 0 (or hold one key on a minority) do it to the
 * group: its master and replica together.
 */
class MixedTopologyRedlockTests extends RedlockContractTests {

	@RegisterExtension
	static final SentinelGroupExtension sentinels = SentinelGroupExtension.groups("mixed");

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(2);

	@Override
	List<TestNode> nodes() {
		List<TestNode> nodes = new ArrayList<>();
		nodes.add(TestNode.of(sentinels.get(0)));
		nodes.addAll(TestNode.of(redis.servers()));
		return nodes;
	}

}
