package dev.redlock.benchmarks.contenders;

import java.util.List;

/**
 * This project's core on three nodes that are each a whole Redis Cluster of three masters,
 * to set against the same core on three standalone masters. It connects to its own clusters,
 * whatever nodes the scenario runs on.
 */
public final class ClusterNodesContender implements Contender {

	/** Its {@link #id()}, which the report sets against {@code redlock} on three masters. */
	public static final String ID = "redlock-clusters";

	private final List<String> clusterUris;

	public ClusterNodesContender(List<String> clusterUris) {
		this.clusterUris = List.copyOf(clusterUris);
	}

	@Override
	public String id() {
		return ID;
	}

	@Override
	public String description() {
		return "this project's core, defaults, on three nodes that are each a Redis Cluster of three masters";
	}

	@Override
	public boolean runsOn(int nodes) {
		return nodes == this.clusterUris.size();
	}

	@Override
	public LockClient connect(List<String> uris, SharedResources shared) {
		return RedlockContender.withNotifications().connect(this.clusterUris, shared);
	}

}
