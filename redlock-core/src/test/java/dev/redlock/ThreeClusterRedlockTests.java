package dev.redlock;

import java.util.List;

import dev.redlock.testkit.RedisClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract over three Redis Clusters of three masters each: every node is a whole cluster,
 * keys of one lock may live on different shards, and a node down is a whole cluster down.
 */
class ThreeClusterRedlockTests extends RedlockContractTests {

	@RegisterExtension
	static final RedisClusterExtension clusters = RedisClusterExtension.clusters(3, 3);

	@Override
	List<TestNode> nodes() {
		return clusters.clusters().stream().map(TestNode::of).toList();
	}

}
