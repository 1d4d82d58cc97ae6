package dev.redlock.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Who is who in a {@link RedisCluster}, as the members themselves report it: the cluster's view
 * ({@code CLUSTER NODES}), the roles ({@code ROLE}) and which master serves a slot. Nothing is
 * cached, since failovers and migrations change the answers.
 */
final class ClusterTopology {

	/** Names the cluster in error messages; read only when one is thrown. */
	private final Object cluster;

	private final List<RedisServer> members;

	ClusterTopology(Object cluster, List<RedisServer> members) {
		this.cluster = cluster;
		this.members = members;
	}

	List<RedisServer> members() {
		return members;
	}

	/** {@return the cluster as the first member that answers sees it} */
	List<ClusterNode> view() {
		List<String> failures = new ArrayList<>();
		for (RedisServer member : members) {
			if (!ClusterCommands.isAnswering(member)) {
				continue;
			}
			try {
				return ClusterNode.seenBy(member);
			}
			catch (RuntimeException e) {
				failures.add(e.getMessage());
			}
		}
		throw new IllegalStateException("No member of " + cluster + " answers CLUSTER NODES" + failures);
	}

	/** {@return the members that run, answer and report {@code role}, in start order} */
	List<RedisServer> withRole(String role) {
		return members.stream()
				.filter(ClusterCommands::isAnswering)
				.filter(member -> role.equals(ClusterCommands.role(member)))
				.toList();
	}

	/**
	 * {@return the master that serves {@code slot}, as the cluster itself reports it}
	 *
	 * @throws IllegalStateException if no member answers or none serves the slot
	 */
	RedisServer masterForSlot(int slot) {
		checkSlot(slot);
		for (ClusterNode node : view()) {
			if (node.isMaster() && node.slots().get(slot)) {
				return member(node);
			}
		}
		throw new IllegalStateException("No master serves slot " + slot + " of " + cluster);
	}

	/**
	 * {@return the master that serves {@code slot}, or {@code null} if that is {@code to}}
	 *
	 * @throws IllegalArgumentException if {@code to} is not a master of the cluster
	 */
	RedisServer masterForSlotUnlessServedBy(int slot, RedisServer to) {
		checkSlot(slot);
		return requireMaster(to).slots().get(slot) ? null : masterForSlot(slot);
	}

	/**
	 * {@return whether every member runs, answers and reports {@code cluster_state:ok}}
	 */
	boolean isEveryMemberOk() {
		if (!members.stream().allMatch(ClusterCommands::isAnswering)) {
			return false;
		}
		try {
			return members.stream().allMatch(member -> "ok".equals(ClusterCommands.clusterState(member)));
		}
		catch (RuntimeException e) {
			return false;
		}
	}

	/**
	 * {@return how the cluster sees {@code server}}
	 *
	 * @throws IllegalArgumentException if it is not a member, or not a master
	 */
	ClusterNode requireMaster(RedisServer server) {
		if (!members.contains(server)) {
			throw new IllegalArgumentException(server + " is not a member of " + cluster);
		}
		return view().stream()
				.filter(node -> node.port() == server.port() && node.isMaster())
				.findFirst()
				.orElseThrow(() -> new IllegalArgumentException(server + " is not a master of " + cluster));
	}

	/**
	 * Applies {@code check} to every member that answers, for {@link Waits#until}.
	 *
	 * @return the first non-null answer, what is still missing; {@code null} once none misses anything
	 */
	String everyAnsweringMember(Function<RedisServer, String> check) {
		for (RedisServer member : members) {
			if (ClusterCommands.isAnswering(member)) {
				String missing = check.apply(member);
				if (missing != null) {
					return missing;
				}
			}
		}
		return null;
	}

	private static void checkSlot(int slot) {
		if (slot < 0 || slot >= ClusterSlots.COUNT) {
			throw new IllegalArgumentException("Slot out of range 0.." + (ClusterSlots.COUNT - 1) + ": " + slot);
		}
	}

	private RedisServer member(ClusterNode node) {
		return members.stream()
				.filter(member -> member.port() == node.port())
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("The cluster lists " + node + ", which is not one of "
						+ members.stream().map(RedisServer::toString).collect(Collectors.joining(", "))));
	}
}
