package dev.redlock.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A real Redis Cluster on loopback: masters with the 16384 hash slots shared evenly between
 * them, optional replicas, each member a {@link RedisServer} with persistence off.
 *
 * <p>Beyond starting and closing, it moves slots ({@link #migrateSlot(int, RedisServer)}, or
 * {@link #beginMigration(int, RedisServer)} to stop half-way) and kills shards
 * ({@link #killShard(RedisServer)}); single members can also be killed, paused or restarted
 * through {@link #members()}. Every wait is bounded and ends with a message saying what the
 * members answered last.
 *
 * <pre>{@code
 * try (RedisCluster cluster = RedisCluster.start(3, 1)) {
 *     Redlock redlock = Redlock.builder().node(cluster.uri()).build();
 *     cluster.killShard(cluster.masterFor("locks:a"));   // its replica takes over
 *     ...
 * }
 * }</pre>
 *
 * <p>Members run with {@code --cluster-node-timeout} of 2 seconds unless told otherwise, so a
 * killed master with a replica is replaced within a few seconds. Redis 6 listens for the cluster
 * bus on the client port plus 10000: members get ports from 12000 to 22000 for that reason. The
 * processes never outlive the JVM, like every {@code RedisServer}'s.
 */
public final class RedisCluster implements AutoCloseable {

	/** The number of hash slots of every Redis Cluster. */
	public static final int SLOTS = ClusterSlots.COUNT;

	private final List<RedisServer> members;

	private final ClusterTopology topology;

	private final Duration timeout;

	/** Set by operations that change roles or slots, which a fresh cluster would not have. */
	private volatile boolean reshaped;

	/** Running and formed: {@link ClusterBuilder} starts it. */
	RedisCluster(List<RedisServer> members, Duration timeout) {
		this.members = List.copyOf(members);
		this.topology = new ClusterTopology(this, this.members);
		this.timeout = timeout;
	}

	/**
	 * Starts a cluster of {@code masters} masters without replicas and waits until every member
	 * reports {@code cluster_state:ok} and agrees on who serves which slot.
	 *
	 * @param masters how many, at least 1
	 * @return the running cluster
	 * @throws IllegalStateException if it does not come up; nothing it started is left running
	 */
	public static RedisCluster start(int masters) {
		return builder().masters(masters).start();
	}

	/**
	 * Starts a cluster of {@code masters} masters with {@code replicasPerMaster} replicas each,
	 * and waits until every member reports {@code cluster_state:ok}, agrees on the slots and
	 * replicas, and every replica has synchronised with its master.
	 *
	 * @param masters how many, at least 1
	 * @param replicasPerMaster how many replicas each master gets, at least 0
	 * @return the running cluster
	 * @throws IllegalStateException if it does not come up; nothing it started is left running
	 */
	public static RedisCluster start(int masters, int replicasPerMaster) {
		return builder().masters(masters).replicasPerMaster(replicasPerMaster).start();
	}

	/**
	 * Returns a builder, for extra {@code redis-server} arguments or another node timeout.
	 *
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Returns the hash slot of {@code key}, as Redis computes it: CRC16 of the key, or of its hash
	 * tag (what lies between the first {@code '{'} and the next {@code '}'}, if not empty), modulo
	 * 16384.
	 *
	 * @param key a key
	 * @return the slot, from 0 to 16383
	 */
	public static int slotOf(String key) {
		return ClusterSlots.slotOf(Objects.requireNonNull(key, "key"));
	}

	/** {@return every member's {@code "127.0.0.1:<port>"}, in start order, running or not} */
	public List<String> seeds() {
		return members.stream().map(member -> member.host() + ":" + member.port()).toList();
	}

	/**
	 * Returns the URI of the whole cluster with every member as a seed,
	 * {@code redis-cluster://127.0.0.1:<port>,127.0.0.1:<port>,...}, without any password.
	 *
	 * @return the URI
	 */
	public String uri() {
		return "redis-cluster://" + String.join(",", seeds());
	}

	/** {@return every member, running or not, in start order: the masters first, then the replicas of each in turn} */
	public List<RedisServer> members() {
		return members;
	}

	/**
	 * Returns the members that run, answer and say they are masters ({@code ROLE}), in start
	 * order; after a failover, a promoted replica is one of them and the killed master is not.
	 *
	 * @return the masters
	 */
	public List<RedisServer> masters() {
		return topology.withRole("master");
	}

	/**
	 * Returns the members that run, answer and say they are replicas ({@code ROLE}), in start
	 * order.
	 *
	 * @return the replicas
	 */
	public List<RedisServer> replicas() {
		return topology.withRole("slave");
	}

	/**
	 * Returns the master that serves {@code key}'s slot, as the cluster itself reports it
	 * ({@code CLUSTER NODES} of the first member that answers).
	 *
	 * @param key a key
	 * @return the master
	 * @throws IllegalStateException if no member answers or none serves the slot
	 */
	public RedisServer masterFor(String key) {
		return masterForSlot(slotOf(key));
	}

	/**
	 * Returns the master that serves {@code slot}, as the cluster itself reports it.
	 *
	 * @param slot from 0 to 16383
	 * @return the master
	 * @throws IllegalStateException if no member answers or none serves the slot
	 */
	public RedisServer masterForSlot(int slot) {
		return topology.masterForSlot(slot);
	}

	/**
	 * Moves {@code slot}, with its keys, to the master {@code to}: marks it importing on
	 * {@code to} and migrating on its owner, moves the keys with {@code MIGRATE} (their time to
	 * live included), hands the slot over on every master, and waits until every member that
	 * answers agrees. Does nothing if {@code to} already serves it.
	 *
	 * @param slot from 0 to 16383
	 * @param to a master of this cluster
	 * @throws IllegalStateException if a step fails or the members do not agree in time
	 */
	public void migrateSlot(int slot, RedisServer to) {
		Optional.ofNullable(beginMigrationIfMoved(slot, to)).ifPresent(SlotMigration::complete);
	}

	/**
	 * Begins moving {@code slot} to the master {@code to} and stops there, with no key moved yet,
	 * so that a test can watch clients meet {@code -ASK} redirections; see {@link SlotMigration}.
	 *
	 * @param slot from 0 to 16383
	 * @param to a master of this cluster that does not serve the slot yet
	 * @return the migration, to continue with {@link SlotMigration#moveKeys()} and
	 *     {@link SlotMigration#complete()}
	 * @throws IllegalArgumentException if {@code to} already serves the slot
	 */
	public SlotMigration beginMigration(int slot, RedisServer to) {
		SlotMigration migration = beginMigrationIfMoved(slot, to);
		if (migration == null) {
			throw new IllegalArgumentException(to + " already serves slot " + slot);
		}
		return migration;
	}

	/**
	 * Kills {@code master} with {@code SIGKILL}. If it has replicas, waits until one of them is
	 * promoted, serves all its slots and every member that answers reports
	 * {@code cluster_state:ok}; otherwise waits until every member that answers marks it failed
	 * (the cluster then refuses commands: {@code cluster_state:fail}).
	 *
	 * @param master a master of this cluster
	 * @return the promoted replica, or empty when it had none
	 * @throws IllegalArgumentException if it is not a master of this cluster
	 * @throws IllegalStateException if the cluster does not settle within its timeout
	 */
	public Optional<RedisServer> killShard(RedisServer master) {
		ShardFailover failover = ShardFailover.of(topology, master);
		reshaped = true;
		return failover.killAndAwait(timeout);
	}

	/**
	 * Deletes every key in the cluster: {@code FLUSHALL} on every master that answers; replicas
	 * follow their masters.
	 *
	 * @throws RuntimeException the first failure, with the others suppressed, after trying all
	 */
	public void flushAll() {
		Closing.forEach(masters(), RedisServer::flushAll);
	}

	/**
	 * Kills every member and deletes their scratch directories, even if closing one fails.
	 * Calling it again does nothing.
	 *
	 * @throws RuntimeException the first failure, with the others suppressed
	 */
	@Override
	public void close() {
		Closing.forEach(members, RedisServer::close);
	}

	@Override
	public String toString() {
		return "RedisCluster" + members;
	}

	/**
	 * {@return whether the cluster is as it started: no shard killed or slot moved through this
	 * object, every member running, none paused, and every member reporting {@code cluster_state:ok}}
	 */
	boolean isIntact() {
		return !reshaped && topology.isEveryMemberOk();
	}

	private SlotMigration beginMigrationIfMoved(int slot, RedisServer to) {
		RedisServer source = topology.masterForSlotUnlessServedBy(slot, to);
		if (source == null) {
			return null;
		}
		reshaped = true;
		return SlotMigration.begin(members, slot, source, to, timeout);
	}

	/**
	 * Collects the settings of a cluster. Obtain one with {@link RedisCluster#builder()}.
	 */
	public static final class Builder extends ClusterBuilder {

		// Its methods are in the package-private superclass, to keep this file about the cluster.
		private Builder() {
		}
	}
}
