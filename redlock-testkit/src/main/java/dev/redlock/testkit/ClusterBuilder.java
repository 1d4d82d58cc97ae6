package dev.redlock.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@link RedisCluster.Builder} does: collects the settings of a cluster and starts it.
 *
 * <p>It lives apart from {@link RedisCluster} so that the cluster's file is about a cluster, yet
 * users keep writing {@code RedisCluster.Builder}, its only subclass, whose name is public API.
 * Its public methods show in the Javadoc as that class's own.
 */
abstract sealed class ClusterBuilder permits RedisCluster.Builder {

	private static final Duration DEFAULT_NODE_TIMEOUT = Duration.ofSeconds(2);

	private static final Duration MIN_WAIT = Duration.ofSeconds(30);

	private final List<String> args = new ArrayList<>();

	private int masters = 3;

	private int replicasPerMaster;

	private Duration nodeTimeout = DEFAULT_NODE_TIMEOUT;

	private Path binary;

	ClusterBuilder() {
	}

	/**
	 * Sets how many masters share the slots; 3 unless set.
	 *
	 * @param masters at least 1
	 * @return this builder
	 */
	public RedisCluster.Builder masters(int masters) {
		if (masters < 1 || masters > ClusterSlots.COUNT) {
			throw new IllegalArgumentException("Need from 1 to " + ClusterSlots.COUNT + " masters, got " + masters);
		}
		this.masters = masters;
		return self();
	}

	/**
	 * Sets how many replicas each master gets; none unless set.
	 *
	 * @param replicasPerMaster at least 0
	 * @return this builder
	 */
	public RedisCluster.Builder replicasPerMaster(int replicasPerMaster) {
		if (replicasPerMaster < 0) {
			throw new IllegalArgumentException("Replicas per master must not be negative: " + replicasPerMaster);
		}
		this.replicasPerMaster = replicasPerMaster;
		return self();
	}

	/**
	 * Sets {@code --cluster-node-timeout}: how long a member may be unreachable before it is
	 * considered failed, and so about how long a failover takes; 2 seconds unless set. Every
	 * wait of the cluster is bounded by 30 seconds or 15 node timeouts, whichever is longer.
	 *
	 * @param nodeTimeout at least 100 ms
	 * @return this builder
	 */
	public RedisCluster.Builder nodeTimeout(Duration nodeTimeout) {
		if (nodeTimeout.toMillis() < 100) {
			throw new IllegalArgumentException("Node timeout below 100 ms: " + nodeTimeout);
		}
		this.nodeTimeout = nodeTimeout;
		return self();
	}

	/**
	 * Adds {@code redis-server} arguments for every member, after the testkit's own so that
	 * they win: for example {@code args("--requirepass", "s3cret", "--masterauth", "s3cret")}
	 * (replicas need both).
	 *
	 * @param args the arguments, each a separate element
	 * @return this builder
	 */
	public RedisCluster.Builder args(String... args) {
		for (String arg : args) {
			this.args.add(Objects.requireNonNull(arg, "arg"));
		}
		return self();
	}

	/**
	 * Runs this executable for every member instead of the one
	 * {@link RedisServerBinary#locate()} finds: for a test that needs a given Redis version.
	 *
	 * @param binary a {@code redis-server} executable
	 * @return this builder
	 */
	public RedisCluster.Builder binary(Path binary) {
		this.binary = Objects.requireNonNull(binary, "binary");
		return self();
	}

	/**
	 * Starts the cluster; see {@link RedisCluster#start(int, int)}.
	 *
	 * @return the running cluster
	 * @throws IllegalStateException if it does not come up; nothing it started is left running
	 */
	public RedisCluster start() {
		List<String> clusterArgs = new ArrayList<>(List.of(
				"--cluster-enabled", "yes",
				// Relative to the member's scratch directory, its working directory.
				"--cluster-config-file", "nodes.conf",
				"--cluster-node-timeout", Long.toString(nodeTimeout.toMillis()),
				// A replica may take over however long it was cut off: tests kill at will.
				"--cluster-replica-validity-factor", "0"));
		clusterArgs.addAll(args);
		Duration wait = nodeTimeout.multipliedBy(15);
		Duration timeout = (wait.compareTo(MIN_WAIT) > 0) ? wait : MIN_WAIT;
		return new RedisCluster(ClusterBootstrap.start(masters, replicasPerMaster, clusterArgs, binary, timeout), timeout);
	}

	/** Safe: the only subclass is {@link RedisCluster.Builder}. */
	private RedisCluster.Builder self() {
		return (RedisCluster.Builder) this;
	}
}
