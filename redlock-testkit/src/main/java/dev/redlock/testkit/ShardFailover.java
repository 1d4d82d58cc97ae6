package dev.redlock.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The kill of a master of a {@link RedisCluster} and what must follow, as
 * {@link RedisCluster#killShard(RedisServer)} promises: one of its replicas takes over its slots
 * or, without replicas, every member marks it failed. Like {@link SlotMigration}, it reshapes the
 * cluster through the members' own commands and waits on their answers, never on a sleep.
 */
final class ShardFailover {

	private final ClusterTopology topology;

	private final RedisServer master;

	private final ClusterNode victim;

	/** The replicas that can take over, read before the kill changes what they report. */
	private final List<String> replicaIds;

	private ShardFailover(ClusterTopology topology, RedisServer master, ClusterNode victim, List<String> replicaIds) {
		this.topology = topology;
		this.master = master;
		this.victim = victim;
		this.replicaIds = replicaIds;
	}

	/**
	 * Reads the shard of {@code master}, changing nothing yet.
	 *
	 * @throws IllegalArgumentException if it is not a master of the cluster
	 */
	static ShardFailover of(ClusterTopology topology, RedisServer master) {
		ClusterNode victim = topology.requireMaster(master);
		List<String> replicaIds = topology.view().stream()
				.filter(node -> node.isReplica() && node.masterId().equals(victim.id()) && !node.isFailing())
				.map(ClusterNode::id)
				.toList();
		return new ShardFailover(topology, master, victim, replicaIds);
	}

	/**
	 * Kills the master with {@code SIGKILL} and waits until the cluster has settled.
	 *
	 * @return the promoted replica, or empty when the master had none
	 * @throws IllegalStateException if the cluster does not settle within {@code timeout}
	 */
	Optional<RedisServer> killAndAwait(Duration timeout) {
		master.kill();
		if (replicaIds.isEmpty()) {
			Waits.until("every cluster member to mark the killed " + master + " failed", timeout,
					() -> topology.everyAnsweringMember(this::failNotSeen));
			return Optional.empty();
		}
		Waits.until("a replica of the killed " + master + " to take over its slots " + victim, timeout,
				() -> topology.everyAnsweringMember(this::takeoverNotSeen));
		return Optional.of(topology.masterForSlot(victim.slots().nextSetBit(0)));
	}

	/** {@return {@code null} once {@code member} flags the victim {@code fail}} */
	private String failNotSeen(RedisServer member) {
		boolean unflagged = ClusterNode.seenBy(member).stream()
				.anyMatch(node -> node.id().equals(victim.id()) && !node.flags().contains("fail"));
		return unflagged ? member + " does not flag it fail yet" : null;
	}

	/** {@return {@code null} once {@code member} sees a promoted replica serving all the victim's slots} */
	private String takeoverNotSeen(RedisServer member) {
		String state = ClusterCommands.clusterState(member);
		if (!"ok".equals(state)) {
			return member + " reports cluster_state:" + state;
		}
		boolean promoted = ClusterNode.seenBy(member).stream()
				.anyMatch(node -> replicaIds.contains(node.id()) && node.isMaster()
						&& node.slots().equals(victim.slots()));
		return promoted ? null : member + " sees no replica serving them yet";
	}
}
