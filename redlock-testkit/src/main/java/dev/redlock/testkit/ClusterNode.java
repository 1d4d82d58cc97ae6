package dev.redlock.testkit;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;

/**
 * One line of {@code CLUSTER NODES}: a member as some member of the cluster sees it.
 *
 * @param id the node id
 * @param port the client port
 * @param flags such as {@code myself}, {@code master}, {@code slave}, {@code fail?}, {@code fail},
 *     {@code handshake}
 * @param masterId the id of the master it replicates, or {@code "-"}
 * @param configEpoch the configuration epoch it claims its slots with (a replica shows its master's)
 * @param slots the slots it serves, without those only being imported or migrated
 * @param migrations the {@code [slot->-id]} and {@code [slot-<-id]} entries of a slot being moved
 */
record ClusterNode(String id, int port, Set<String> flags, String masterId, long configEpoch, BitSet slots,
		List<String> migrations) {

	/** Parses the whole reply to {@code CLUSTER NODES}. */
	static List<ClusterNode> parseAll(String reply) {
		List<ClusterNode> nodes = new ArrayList<>();
		for (String line : reply.split("\n")) {
			if (!line.isBlank()) {
				nodes.add(parse(line.trim()));
			}
		}
		return nodes;
	}

	static ClusterNode parse(String line) {
		String[] fields = line.split(" ");
		if (fields.length < 8) {
			throw new IllegalArgumentException("Not a CLUSTER NODES line: " + line);
		}
		// ip:port@cport, followed by ",hostname" on Redis 7.
		String address = fields[1];
		String hostAndPort = (address.indexOf('@') < 0) ? address : address.substring(0, address.indexOf('@'));
		int port = Integer.parseInt(hostAndPort.substring(hostAndPort.lastIndexOf(':') + 1));
		BitSet slots = new BitSet(ClusterSlots.COUNT);
		List<String> migrations = new ArrayList<>();
		for (int i = 8; i < fields.length; i++) {
			String slot = fields[i];
			if (slot.startsWith("[")) {
				migrations.add(slot);
			}
			else {
				int dash = slot.indexOf('-');
				int first = Integer.parseInt((dash < 0) ? slot : slot.substring(0, dash));
				int last = (dash < 0) ? first : Integer.parseInt(slot.substring(dash + 1));
				slots.set(first, last + 1);
			}
		}
		return new ClusterNode(fields[0], port, Set.of(fields[2].split(",")), fields[3], Long.parseLong(fields[6]), slots,
				List.copyOf(migrations));
	}

	boolean isMaster() {
		return flags.contains("master");
	}

	boolean isReplica() {
		return flags.contains("slave");
	}

	boolean isMyself() {
		return flags.contains("myself");
	}

	/** {@return whether the node is flagged failed, by this node alone ({@code fail?}) or by the cluster} */
	boolean isFailing() {
		return flags.contains("fail") || flags.contains("fail?");
	}

	/** {@return the node as {@code member} sees it, from its {@code CLUSTER NODES}} */
	static List<ClusterNode> seenBy(RedisServer member) {
		return parseAll(ClusterCommands.text(member, "CLUSTER", "NODES"));
	}

	boolean isInHandshake() {
		return flags.contains("handshake") || flags.contains("noaddr");
	}

	/** Slot ranges rather than every slot, to keep failure messages readable. */
	@Override
	public String toString() {
		StringBuilder ranges = new StringBuilder();
		for (int first = slots.nextSetBit(0); first >= 0; first = slots.nextSetBit(first + 1)) {
			int last = slots.nextClearBit(first) - 1;
			ranges.append(' ').append(first).append((last > first) ? "-" + last : "");
			first = last;
		}
		return id + " " + RedisServer.HOST + ":" + port + " " + String.join(",", flags) + " " + masterId + ranges
				+ (migrations.isEmpty() ? "" : " " + String.join(" ", migrations));
	}
}
