package dev.redlock.testkit;

import static dev.redlock.testkit.Probes.call;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The methods run in order: each checks what the extension made of the clusters the one before left. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterExtensionTest {

	@RegisterExtension
	static final RedisClusterExtension clusters = RedisClusterExtension.clusters(2, 2);

	private static List<String> firstUris;

	private static List<Long> firstPids;

	@Test
	@Order(1)
	void startsIndependentClustersAndLeavesData() {
		firstUris = clusters.uris();
		firstPids = clusters.clusters().stream().flatMap(cluster -> cluster.members().stream()).map(RedisServer::pid)
				.toList();
		assertThat(clusters.size()).isEqualTo(2);
		assertThat(firstUris).doesNotHaveDuplicates().allMatch(uri -> uri.startsWith("redis-cluster://127.0.0.1:"));
		for (RedisCluster cluster : clusters.clusters()) {
			assertThat(cluster.masters()).hasSize(2);
			assertThat(call(cluster.masterFor("left-over"), "SET", "left-over", "x")).isEqualTo("+OK");
		}
	}

	@Test
	@Order(2)
	void flushesIntactClustersAndKeepsThem() {
		assertThat(clusters.uris()).isEqualTo(firstUris);
		for (RedisCluster cluster : clusters.clusters()) {
			assertThat(call(cluster.masterFor("left-over"), "EXISTS", "left-over")).isEqualTo(":0");
		}
		clusters.get(1).members().get(0).kill();
	}

	@Test
	@Order(3)
	void replacesAClusterATestBroke() {
		assertThat(clusters.uris().get(0)).isEqualTo(firstUris.get(0));
		assertThat(clusters.uris().get(1)).isNotEqualTo(firstUris.get(1));
		assertThat(clusters.get(1).members()).allMatch(RedisServer::isRunning);
		assertThat(firstPids.subList(2, 4)).allMatch(Probes::isGone);
	}
}
