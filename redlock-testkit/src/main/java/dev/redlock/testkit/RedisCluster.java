package dev.redlock.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

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

	private final Duration timeout;

	/** Set by operations that change roles or slots, which a fresh cluster would not have. */
	private volatile boolean reshaped;

	private RedisCluster(List<RedisServer> members, Duration timeout) {
		this.members = List.copyOf(members);
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
		return withRole("master");
	}

	/**
	 * Returns the members that run, answer and say they are replicas ({@code ROLE}), in start
	 * order.
	 *
	 * @return the replicas
	 */
	public List<RedisServer> replicas() {
		return withRole("slave");
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
		checkSlot(slot);
		for (ClusterNode node : view()) {
			if (node.isMaster() && node.slots().get(slot)) {
				return member(node);
			}
		}
		throw new IllegalStateException("No master serves slot " + slot + " of " + this);
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
		ClusterNode victim = requireMaster(master);
		List<ClusterNode> view = view();
		List<String> replicaIds = view.stream()
				.filter(node -> node.isReplica() && node.masterId().equals(victim.id()) && !node.isFailing())
				.map(ClusterNode::id)
				.toList();
		reshaped = true;
		master.kill();
		if (replicaIds.isEmpty()) {
			Waits.until("every cluster member to mark the killed " + master + " failed", timeout,
					() -> everyAnsweringMember(member -> ClusterNode.seenBy(member).stream()
							.anyMatch(node -> node.id().equals(victim.id()) && !node.flags().contains("fail"))
									? member + " does not flag it fail yet" : null));
			return Optional.empty();
		}
		Waits.until("a replica of the killed " + master + " to take over its slots " + victim, timeout,
				() -> everyAnsweringMember(member -> takeoverMissing(member, victim, replicaIds)));
		return Optional.of(masterForSlot(victim.slots().nextSetBit(0)));
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
		if (reshaped || !members.stream().allMatch(ClusterCommands::isAnswering)) {
			return false;
		}
		try {
			return members.stream().allMatch(member -> "ok".equals(ClusterCommands.clusterState(member)));
		}
		catch (RuntimeException e) {
			return false;
		}
	}

	private SlotMigration beginMigrationIfMoved(int slot, RedisServer to) {
		checkSlot(slot);
		ClusterNode target = requireMaster(to);
		if (target.slots().get(slot)) {
			return null;
		}
		RedisServer source = masterForSlot(slot);
		reshaped = true;
		return SlotMigration.begin(members, slot, source, to, timeout);
	}

	/** {@return {@code null} once {@code member} sees a promoted replica serving all the victim's slots} */
	private static String takeoverMissing(RedisServer member, ClusterNode victim, List<String> replicaIds) {
		String state = ClusterCommands.clusterState(member);
		if (!"ok".equals(state)) {
			return member + " reports cluster_state:" + state;
		}
		boolean promoted = ClusterNode.seenBy(member).stream()
				.anyMatch(node -> replicaIds.contains(node.id()) && node.isMaster()
						&& node.slots().equals(victim.slots()));
		return promoted ? null : member + " sees no replica serving them yet";
	}

	private ClusterNode requireMaster(RedisServer server) {
		if (!members.contains(server)) {
			throw new IllegalArgumentException(server + " is not a member of " + this);
		}
		return view().stream()
				.filter(node -> node.port() == server.port() && node.isMaster())
				.findFirst()
				.orElseThrow(() -> new IllegalArgumentException(server + " is not a master of " + this));
	}

	private String everyAnsweringMember(Function<RedisServer, String> check) {
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

	/** The cluster as the first member that answers sees it. */
	private List<ClusterNode> view() {
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
		throw new IllegalStateException("No member of " + this + " answers CLUSTER NODES" + failures);
	}

	private RedisServer member(ClusterNode node) {
		return members.stream()
				.filter(member -> member.port() == node.port())
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("The cluster lists " + node + ", which is not one of "
						+ members.stream().map(RedisServer::toString).collect(Collectors.joining(", "))));
	}

	private List<RedisServer> withRole(String role) {
		return members.stream()
				.filter(ClusterCommands::isAnswering)
				.filter(member -> role.equals(ClusterCommands.role(member)))
				.toList();
	}

	private static void checkSlot(int slot) {
		if (slot < 0 || slot >= SLOTS) {
			throw new IllegalArgumentException("Slot out of range 0.." + (SLOTS - 1) + ": " + slot);
		}
	}

	/**
	 * Collects the settings of a cluster. Obtain one with {@link RedisCluster#builder()}.
	 */
	public static final class Builder {

		private static final Duration DEFAULT_NODE_TIMEOUT = Duration.ofSeconds(2);

		private static final Duration MIN_WAIT = Duration.ofSeconds(30);

		private final List<String> args = new ArrayList<>();

		private int masters = 3;

		private int replicasPerMaster;

		private Duration nodeTimeout = DEFAULT_NODE_TIMEOUT;

		private Path binary;

		private Builder() {
		}

		/**
		 * Sets how many masters share the slots; 3 unless set.
		 *
		 * @param masters at least 1
		 * @return this builder
		 */
		public Builder masters(int masters) {
			if (masters < 1 || masters > SLOTS) {
				throw new IllegalArgumentException("Need from 1 to " + SLOTS + " masters, got " + masters);
			}
			this.masters = masters;
			return this;
		}

		/**
		 * Sets how many replicas each master gets; none unless set.
		 *
		 * @param replicasPerMaster at least 0
		 * @return this builder
		 */
		public Builder replicasPerMaster(int replicasPerMaster) {
			if (replicasPerMaster < 0) {
				throw new IllegalArgumentException("Replicas per master must not be negative: " + replicasPerMaster);
			}
			this.replicasPerMaster = replicasPerMaster;
			return this;
		}

		/**
		 * Sets {@code --cluster-node-timeout}: how long a member may be unreachable before it is
		 * considered failed, and so about how long a failover takes; 2 seconds unless set. Every
		 * wait of the cluster is bounded by 30 seconds or 15 node timeouts, whichever is longer.
		 *
		 * @param nodeTimeout at least 100 ms
		 * @return this builder
		 */
		public Builder nodeTimeout(Duration nodeTimeout) {
			if (nodeTimeout.toMillis() < 100) {
				throw new IllegalArgumentException("Node timeout below 100 ms: " + nodeTimeout);
			}
			this.nodeTimeout = nodeTimeout;
			return this;
		}

		/**
		 * Adds {@code redis-server} arguments for every member, after the testkit's own so that
		 * they win: for example {@code args("--requirepass", "s3cret", "--masterauth", "s3cret")}
		 * (replicas need both).
		 *
		 * @param args the arguments, each a separate element
		 * @return this builder
		 */
		public Builder args(String... args) {
			for (String arg : args) {
				this.args.add(Objects.requireNonNull(arg, "arg"));
			}
			return this;
		}

		/**
		 * Runs this executable for every member instead of the one
		 * {@link RedisServerBinary#locate()} finds: for a test that needs a given Redis version.
		 *
		 * @param binary a {@code redis-server} executable
		 * @return this builder
		 */
		public Builder binary(Path binary) {
			this.binary = Objects.requireNonNull(binary, "binary");
			return this;
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
	}
}
