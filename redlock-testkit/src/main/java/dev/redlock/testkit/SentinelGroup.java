package dev.redlock.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Sentinel-managed Redis master on loopback: a master, one replica of it and three sentinels
 * (quorum 2), each a {@link RedisServer} of the same binary, the sentinels run with
 * {@code --sentinel}.
 *
 * <pre>{@code
 * try (SentinelGroup group = SentinelGroup.start("locks")) {
 *     Redlock redlock = Redlock.builder().node(group.uri()).build();
 *     RedisServer promoted = group.failover();   // kills the master; the replica takes over
 *     ...
 * }
 * }</pre>
 *
 * <p>The sentinels declare a master down after 1 second without an answer
 * ({@code down-after-milliseconds}) and give a failover 2 seconds ({@code failover-timeout}), so
 * a failover completes within a few seconds. Every wait is bounded by 30 seconds and ends with a
 * message saying what the servers answered last. The processes never outlive the JVM, like every
 * {@code RedisServer}'s.
 */
public final class SentinelGroup implements AutoCloseable {

	private static final int SENTINELS = 3;

	private static final int QUORUM = 2;

	private static final int DOWN_AFTER_MILLIS = 1_000;

	private static final int FAILOVER_TIMEOUT_MILLIS = 2_000;

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final Pattern MASTER_NAME = Pattern.compile("[A-Za-z0-9._-]+");

	private final String masterName;

	private final RedisServer master;

	private final RedisServer replica;

	private final List<RedisServer> sentinels;

	private final SentinelFailover failover;

	private SentinelGroup(String masterName, RedisServer master, RedisServer replica, List<RedisServer> sentinels) {
		this.masterName = masterName;
		this.master = master;
		this.replica = replica;
		this.sentinels = List.copyOf(sentinels);
		this.failover = new SentinelFailover(this, masterName, master, replica, this.sentinels);
	}

	/**
	 * Starts the master, its replica and three sentinels monitoring it as {@code masterName}, and
	 * waits until every sentinel knows the master, the replica and the two other sentinels, and
	 * the replica has synchronised.
	 *
	 * @param masterName the name the sentinels know the master by; letters, digits, {@code . _ -}
	 * @return the running group
	 * @throws IllegalStateException if it does not come up; nothing it started is left running
	 */
	public static SentinelGroup start(String masterName) {
		if (!MASTER_NAME.matcher(Objects.requireNonNull(masterName, "masterName")).matches()) {
			throw new IllegalArgumentException("Master name must be letters, digits, '.', '_' or '-': " + masterName);
		}
		List<RedisServer> started = new ArrayList<>();
		try {
			RedisServer master = RedisServer.start();
			started.add(master);
			RedisServer replica = RedisServer.builder()
					.args("--replicaof", RedisServer.HOST, Integer.toString(master.port()))
					.start();
			started.add(replica);
			String config = sentinelConfig(masterName, master.port());
			started.addAll(ParallelStarts.start(SENTINELS, index -> RedisServer.builder()
					.configFile("sentinel.conf", config)
					.args("--sentinel")
					.start()));
			SentinelGroup group = new SentinelGroup(masterName, master, replica, started.subList(2, started.size()));
			Waits.until("every sentinel to know master " + masterName + " at " + master + ", its replica and "
					+ (SENTINELS - 1) + " other sentinels", TIMEOUT, group::unacquainted);
			return group;
		}
		catch (RuntimeException | Error e) {
			Closing.closeAll(started, e);
			throw e;
		}
	}

	/** {@return the name the sentinels know the master by} */
	public String masterName() {
		return masterName;
	}

	/**
	 * Returns the URI of the Sentinel-managed master, as Lettuce spells it:
	 * {@code redis-sentinel://127.0.0.1:<port>,127.0.0.1:<port>,127.0.0.1:<port>#<masterName>}.
	 *
	 * @return the URI
	 */
	public String uri() {
		List<String> addresses = sentinels.stream().map(sentinel -> sentinel.host() + ":" + sentinel.port()).toList();
		return "redis-sentinel://" + String.join(",", addresses) + "#" + masterName;
	}

	/** {@return the server started as the master; after a {@link #failover()} it is no longer the master} */
	public RedisServer master() {
		return master;
	}

	/** {@return the server started as the replica; a {@link #failover()} makes it the master} */
	public RedisServer replica() {
		return replica;
	}

	/** {@return the three sentinels} */
	public List<RedisServer> sentinels() {
		return sentinels;
	}

	/**
	 * Returns the server the sentinels name as the master now
	 * ({@code SENTINEL get-master-addr-by-name} of the first sentinel that answers).
	 *
	 * @return {@link #master()} or {@link #replica()}
	 * @throws IllegalStateException if no sentinel answers
	 */
	public RedisServer currentMaster() {
		return failover.currentMaster();
	}

	/**
	 * Kills the current master with {@code SIGKILL} and waits until every sentinel that answers
	 * names the other server as master and that server answers {@code ROLE} with master.
	 *
	 * @return the promoted server
	 * @throws IllegalStateException if the other server does not run, or the failover does not
	 *     complete within 30 seconds
	 */
	public RedisServer failover() {
		return failover.failover(TIMEOUT);
	}

	/**
	 * Kills every server and deletes their scratch directories, even if closing one fails.
	 * Calling it again does nothing.
	 *
	 * @throws RuntimeException the first failure, with the others suppressed
	 */
	@Override
	public void close() {
		List<RedisServer> all = new ArrayList<>(sentinels);
		all.add(master);
		all.add(replica);
		Closing.forEach(all, RedisServer::close);
	}

	/**
	 * {@return whether the group is as it started: every server running, none paused, and the
	 * sentinels naming the original master}
	 */
	boolean isIntact() {
		if (!ClusterCommands.isAnswering(master) || !ClusterCommands.isAnswering(replica)
				|| !sentinels.stream().allMatch(ClusterCommands::isAnswering)) {
			return false;
		}
		try {
			return currentMaster() == master;
		}
		catch (RuntimeException e) {
			return false;
		}
	}

	@Override
	public String toString() {
		return "SentinelGroup[" + masterName + ", master " + master + ", replica " + replica + ", sentinels "
				+ sentinels + "]";
	}

	private static String sentinelConfig(String masterName, int masterPort) {
		return String.join("\n",
				"sentinel monitor " + masterName + " " + RedisServer.HOST + " " + masterPort + " " + QUORUM,
				"sentinel down-after-milliseconds " + masterName + " " + DOWN_AFTER_MILLIS,
				"sentinel failover-timeout " + masterName + " " + FAILOVER_TIMEOUT_MILLIS,
				"sentinel resolve-hostnames yes",
				"");
	}

	/** {@return {@code null} once every sentinel knows the whole group, else what one lacks} */
	private String unacquainted() {
		Pattern expected = Pattern.compile("name=" + Pattern.quote(masterName) + ",status=ok,address="
				+ Pattern.quote(RedisServer.HOST + ":" + master.port()) + ",slaves=1,sentinels=" + SENTINELS);
		for (RedisServer sentinel : sentinels) {
			String info = ClusterCommands.text(sentinel, "INFO", "sentinel");
			if (!expected.matcher(info).find()) {
				return sentinel + " reports " + masterLine(info);
			}
		}
		String replication = ClusterCommands.text(replica, "INFO", "replication");
		return replication.contains("master_link_status:up") ? null : replica + " has not synchronised yet";
	}

	private static String masterLine(String info) {
		Matcher line = Pattern.compile("(?m)^master0:.*$").matcher(info);
		return line.find() ? line.group().trim() : "no master";
	}
}
