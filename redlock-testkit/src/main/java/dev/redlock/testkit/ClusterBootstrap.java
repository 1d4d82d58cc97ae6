package dev.redlock.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns freshly started cluster-enabled servers into one cluster: slots assigned evenly to the
 * masters, every member introduced, replicas attached, and everyone agreeing.
 */
final class ClusterBootstrap {

	/** Redis 6.2 has no CLUSTER ADDSLOTSRANGE; slots go in batches of this many. */
	private static final int ADDSLOTS_BATCH = 2_048;

	private static final int BIND_ATTEMPTS = 5;

	private final List<RedisServer> members;

	private final int masters;

	private final int replicasPerMaster;

	private final Duration timeout;

	private final Map<RedisServer, String> ids = new HashMap<>();

	private ClusterBootstrap(List<RedisServer> members, int masters, int replicasPerMaster, Duration timeout) {
		this.members = members;
		this.masters = masters;
		this.replicasPerMaster = replicasPerMaster;
		this.timeout = timeout;
	}

	/**
	 * Starts {@code masters × (1 + replicasPerMaster)} members, masters first, then the replicas
	 * of the first master, of the second, and so on, and forms the cluster; {@code binary}, if
	 * not null, is the executable they run.
	 *
	 * @throws IllegalStateException if a step fails or does not converge within {@code timeout};
	 *     every member started is closed first
	 */
	static List<RedisServer> start(int masters, int replicasPerMaster, List<String> clusterArgs, Path binary,
			Duration timeout) {
		List<RedisServer> members = ParallelStarts.start(masters * (1 + replicasPerMaster),
				index -> startMember(clusterArgs, binary));
		try {
			new ClusterBootstrap(members, masters, replicasPerMaster, timeout).form();
			return members;
		}
		catch (RuntimeException | Error e) {
			Closing.closeAll(members, e);
			throw e;
		}
	}

	/** The cluster bus port must be free too, so a clash on either is retried on another pair. */
	private static RedisServer startMember(List<String> clusterArgs, Path binary) {
		PortInUseException lastFailure = null;
		for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
			try {
				RedisServer.Builder member = RedisServer.builder()
						.port(FreePorts.pickWithBusPort(RedisServer.HOST))
						.args(clusterArgs.toArray(String[]::new));
				return ((binary != null) ? member.binary(binary) : member).start();
			}
			catch (PortInUseException e) {
				lastFailure = e;
			}
		}
		throw lastFailure;
	}

	private void form() {
		for (int i = 0; i < members.size(); i++) {
			RedisServer member = members.get(i);
			ids.put(member, ClusterCommands.text(member, "CLUSTER", "MYID"));
			// Left at 0, the masters' epochs collide and Redis bumps them one by one, seconds later.
			// A bump that lands in the middle of a slot migration can hand the slot back to its old
			// owner on some members for good; redis-cli --cluster create sets them for that reason.
			ClusterCommands.ok(member, "CLUSTER", "SET-CONFIG-EPOCH", Integer.toString(i + 1));
		}
		for (int i = 0; i < masters; i++) {
			addSlots(members.get(i), ClusterSlots.firstSlotOfShare(i, masters),
					ClusterSlots.firstSlotOfShare(i + 1, masters));
		}
		RedisServer first = members.get(0);
		for (RedisServer member : members.subList(1, members.size())) {
			ClusterCommands.ok(first, "CLUSTER", "MEET", RedisServer.HOST, Integer.toString(member.port()));
		}
		Waits.until("every cluster member to know every other", timeout, this::missingAcquaintance);
		for (int i = masters; i < members.size(); i++) {
			String masterId = ids.get(members.get((i - masters) / replicasPerMaster));
			ClusterCommands.ok(members.get(i), "CLUSTER", "REPLICATE", masterId);
		}
		Waits.until("the cluster to reach cluster_state:ok with every member agreeing on the slots and replicas",
				timeout, this::disagreement);
	}

	private static void addSlots(RedisServer master, int from, int to) {
		for (int batch = from; batch < to; batch += ADDSLOTS_BATCH) {
			List<String> command = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
			for (int slot = batch; slot < Math.min(to, batch + ADDSLOTS_BATCH); slot++) {
				command.add(Integer.toString(slot));
			}
			ClusterCommands.ok(master, command.toArray(String[]::new));
		}
	}

	/** {@return {@code null} once every member lists every other out of handshake, else who does not} */
	private String missingAcquaintance() {
		for (RedisServer member : members) {
			List<ClusterNode> seen = ClusterNode.seenBy(member);
			long known = seen.stream().filter(node -> !node.isInHandshake()).count();
			if (known < members.size()) {
				return member + " knows " + known + " of " + members.size() + " members";
			}
		}
		return null;
	}

	/** {@return {@code null} once all agree with the plan and report ok, else the first difference} */
	private String disagreement() {
		for (RedisServer member : members) {
			String state = ClusterCommands.clusterState(member);
			if (!"ok".equals(state)) {
				return member + " reports cluster_state:" + state;
			}
			Map<String, ClusterNode> seen = new HashMap<>();
			ClusterNode.seenBy(member).forEach(node -> seen.put(node.id(), node));
			for (int i = 0; i < members.size(); i++) {
				String difference = differenceFromPlan(i, seen.get(ids.get(members.get(i))));
				if (difference != null) {
					return member + " sees " + members.get(i) + " " + difference;
				}
			}
		}
		for (RedisServer replica : members.subList(masters, members.size())) {
			String info = ClusterCommands.text(replica, "INFO", "replication");
			if (!info.contains("master_link_status:up")) {
				return replica + " has not synchronised with its master yet";
			}
		}
		return null;
	}

	private String differenceFromPlan(int index, ClusterNode node) {
		if (node == null) {
			return "not at all";
		}
		if (index < masters) {
			BitSet planned = new BitSet(ClusterSlots.COUNT);
			planned.set(ClusterSlots.firstSlotOfShare(index, masters), ClusterSlots.firstSlotOfShare(index + 1, masters));
			return (node.isMaster() && node.slots().equals(planned)) ? null : "without its planned slots: " + node;
		}
		String masterId = ids.get(members.get((index - masters) / replicasPerMaster));
		return (node.isReplica() && node.masterId().equals(masterId)) ? null : "not yet replicating " + masterId;
	}
}
