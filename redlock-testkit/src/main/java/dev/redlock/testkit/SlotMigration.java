package dev.redlock.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A hash slot being moved from one master of a {@link RedisCluster} to another, begun by
 * {@link RedisCluster#beginMigration(int, RedisServer)}, for tests of what clients see in the
 * middle of a resharding.
 *
 * <p>Once begun, the source is {@code MIGRATING} the slot and the target {@code IMPORTING} it: the
 * source still answers for the keys it holds and redirects with {@code -ASK} for the others, and
 * the target answers for the slot only after {@code ASKING}. {@link #moveKeys()} moves the keys
 * that are in the slot at that moment, with their expiry; {@link #complete()} moves whatever is
 * left and hands the slot over, after which the source answers {@code -MOVED}.
 *
 * <pre>{@code
 * SlotMigration migration = cluster.beginMigration(RedisCluster.slotOf("locks:a"), other);
 * migration.moveKeys();     // "locks:a" now lives on other; the source answers -ASK for it
 * ...
 * migration.complete();     // the source answers -MOVED
 * }</pre>
 */
public final class SlotMigration {

	private static final int KEYS_PER_BATCH = 100;

	private static final String MIGRATE_TIMEOUT_MILLIS = "5000";

	private final List<RedisServer> members;

	private final int slot;

	private final RedisServer source;

	private final RedisServer target;

	private final String targetId;

	private final Duration timeout;

	/** Guarded by {@code this}. */
	private boolean completed;

	private SlotMigration(List<RedisServer> members, int slot, RedisServer source, RedisServer target,
			String targetId, Duration timeout) {
		this.members = members;
		this.slot = slot;
		this.source = source;
		this.target = target;
		this.targetId = targetId;
		this.timeout = timeout;
	}

	/** Marks the slot importing on the target, then migrating on the source, as Redis asks. */
	static SlotMigration begin(List<RedisServer> members, int slot, RedisServer source, RedisServer target,
			Duration timeout) {
		String sourceId = ClusterCommands.text(source, "CLUSTER", "MYID");
		String targetId = ClusterCommands.text(target, "CLUSTER", "MYID");
		String slotText = Integer.toString(slot);
		ClusterCommands.ok(target, "CLUSTER", "SETSLOT", slotText, "IMPORTING", sourceId);
		ClusterCommands.ok(source, "CLUSTER", "SETSLOT", slotText, "MIGRATING", targetId);
		return new SlotMigration(members, slot, source, target, targetId, timeout);
	}

	/** {@return the slot being moved} */
	public int slot() {
		return slot;
	}

	/** {@return the master that owned the slot when the migration began} */
	public RedisServer source() {
		return source;
	}

	/** {@return the master that receives the slot} */
	public RedisServer target() {
		return target;
	}

	/**
	 * Moves every key the source holds in the slot to the target, with {@code MIGRATE}, which
	 * keeps each key's time to live. Keys written to the source meanwhile are moved too.
	 *
	 * @return how many keys were moved
	 * @throws IllegalStateException if a {@code MIGRATE} fails, or keys keep arriving for longer
	 *     than the cluster's timeout
	 */
	public synchronized int moveKeys() {
		long deadline = System.nanoTime() + timeout.toNanos();
		int moved = 0;
		while (true) {
			RespClient.Reply keys = ClusterCommands.ok(source, "CLUSTER", "GETKEYSINSLOT", Integer.toString(slot),
					Integer.toString(KEYS_PER_BATCH));
			if (keys.elements().isEmpty()) {
				return moved;
			}
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("Slot " + slot + " of " + source + " still had keys after moving "
						+ moved + " for " + timeout.toMillis() + " ms");
			}
			ClusterCommands.ok(source, migrateCommand(keys.elements()));
			moved += keys.elements().size();
		}
	}

	/**
	 * Moves the remaining keys, gives the slot to the target on the target, the source and every
	 * other master, and waits until every member that answers agrees. Does nothing the second
	 * time.
	 *
	 * @throws IllegalStateException if a step fails or the members do not agree within the
	 *     cluster's timeout
	 */
	public synchronized void complete() {
		if (completed) {
			return;
		}
		moveKeys();
		String[] setSlot = { "CLUSTER", "SETSLOT", Integer.toString(slot), "NODE", targetId };
		ClusterCommands.ok(target, setSlot);
		ClusterCommands.ok(source, setSlot);
		for (RedisServer member : members) {
			if (member != source && member != target && ClusterCommands.isAnswering(member)
					&& "master".equals(ClusterCommands.role(member))) {
				ClusterCommands.ok(member, setSlot);
			}
		}
		Waits.until("every cluster member to agree that slot " + slot + " moved to " + target, timeout,
				this::disagreement);
		completed = true;
	}

	@Override
	public String toString() {
		return "SlotMigration[slot " + slot + ", " + source + " -> " + target + "]";
	}

	private String[] migrateCommand(List<RespClient.Reply> keys) {
		List<String> command = new ArrayList<>(List.of("MIGRATE", RedisServer.HOST, Integer.toString(target.port()),
				"", "0", MIGRATE_TIMEOUT_MILLIS));
		if (target.password() != null) {
			command.addAll(List.of("AUTH", target.password()));
		}
		command.add("KEYS");
		keys.forEach(key -> command.add(key.text()));
		return command.toArray(String[]::new);
	}

	private String disagreement() {
		for (RedisServer member : members) {
			if (!ClusterCommands.isAnswering(member)) {
				continue;
			}
			for (ClusterNode node : ClusterNode.seenBy(member)) {
				boolean owns = node.slots().get(slot);
				if (owns != node.id().equals(targetId)) {
					return member + " sees " + node;
				}
			}
		}
		return null;
	}
}
