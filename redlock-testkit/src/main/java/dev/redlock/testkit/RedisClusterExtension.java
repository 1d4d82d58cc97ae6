package dev.redlock.testkit;

import java.util.List;

/**
 * A JUnit Jupiter extension that gives a test class its own independent Redis Clusters, for
 * example three of them as the nodes of one Redlock.
 *
 * <pre>{@code
 * class ClusterLockTest {
 *     @RegisterExtension
 *     static final RedisClusterExtension clusters = RedisClusterExtension.clusters(3, 3);
 *
 *     @Test
 *     void survivesAShardDown() {
 *         Redlock redlock = Redlock.builder().nodes(clusters.uris()).build();
 *         clusters.get(0).killShard(clusters.get(0).masterFor("locks:a"));
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>On a {@code static} field the clusters start once before all tests of the class (nested
 * classes included) and are closed after them. Before each test, a cluster left as it started is
 * flushed; one that a test changed (a shard killed or a slot moved through it, a member stopped,
 * killed or paused, or a member not reporting {@code cluster_state:ok}) is closed and replaced by
 * a fresh one on new ports, so read {@link #uris()} in each test rather than once. On an instance
 * field, each test gets fresh clusters, closed after it.
 */
public final class RedisClusterExtension extends ReplacingExtension<RedisCluster> {

	private final int masters;

	private final int replicasPerMaster;

	private RedisClusterExtension(int count, int masters, int replicasPerMaster) {
		super(count, "The Redis Clusters");
		this.masters = masters;
		this.replicasPerMaster = replicasPerMaster;
	}

	/**
	 * Creates an extension managing {@code count} clusters of {@code masters} masters each,
	 * without replicas.
	 *
	 * @param count how many clusters, at least 1
	 * @param masters masters per cluster, at least 1
	 * @return the extension, to register with {@code @RegisterExtension}
	 */
	public static RedisClusterExtension clusters(int count, int masters) {
		return clusters(count, masters, 0);
	}

	/**
	 * Creates an extension managing {@code count} clusters of {@code masters} masters with
	 * {@code replicasPerMaster} replicas each.
	 *
	 * @param count how many clusters, at least 1
	 * @param masters masters per cluster, at least 1
	 * @param replicasPerMaster replicas per master, at least 0
	 * @return the extension, to register with {@code @RegisterExtension}
	 */
	public static RedisClusterExtension clusters(int count, int masters, int replicasPerMaster) {
		if (count < 1 || masters < 1 || replicasPerMaster < 0) {
			throw new IllegalArgumentException("Need at least one cluster of at least one master, and no negative"
					+ " replica count; got " + count + ", " + masters + ", " + replicasPerMaster);
		}
		return new RedisClusterExtension(count, masters, replicasPerMaster);
	}

	/**
	 * Returns the clusters, in order.
	 *
	 * @return the running clusters
	 * @throws IllegalStateException outside the extension's lifetime
	 */
	public List<RedisCluster> clusters() {
		return resources();
	}

	/**
	 * Returns one cluster.
	 *
	 * @param index from 0 to {@code size() - 1}
	 * @return the cluster
	 */
	public RedisCluster get(int index) {
		return clusters().get(index);
	}

	/** {@return each cluster's {@link RedisCluster#uri()}, in order} */
	public List<String> uris() {
		return clusters().stream().map(RedisCluster::uri).toList();
	}

	/** {@return the number of clusters} */
	public int size() {
		return clusters().size();
	}

	@Override
	RedisCluster start(int index) {
		return RedisCluster.start(this.masters, this.replicasPerMaster);
	}

	@Override
	boolean isIntact(RedisCluster cluster) {
		return cluster.isIntact();
	}

	@Override
	void reset(RedisCluster cluster) {
		cluster.flushAll();
	}

	@Override
	void close(RedisCluster cluster) {
		cluster.close();
	}

}
