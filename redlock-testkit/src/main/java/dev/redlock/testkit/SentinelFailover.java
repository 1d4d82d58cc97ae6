package dev.redlock.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Which server the sentinels of a {@link SentinelGroup} name as master, and a failover that makes
 * them name the other one. Nothing is cached: the sentinels are asked every time, since they
 * alone decide.
 */
final class SentinelFailover {

	/** Names the group in error messages; read only when one is thrown. */
	private final Object group;

	private final String masterName;

	private final RedisServer master;

	private final RedisServer replica;

	private final List<RedisServer> sentinels;

	SentinelFailover(Object group, String masterName, RedisServer master, RedisServer replica,
			List<RedisServer> sentinels) {
		this.group = group;
		this.masterName = masterName;
		this.master = master;
		this.replica = replica;
		this.sentinels = sentinels;
	}

	/**
	 * {@return the server the first sentinel that answers names as master}
	 *
	 * @throws IllegalStateException if no sentinel answers
	 */
	RedisServer currentMaster() {
		List<String> failures = new ArrayList<>();
		for (RedisServer sentinel : sentinels) {
			if (!ClusterCommands.isAnswering(sentinel)) {
				continue;
			}
			try {
				return serverAt(masterPortSeenBy(sentinel));
			}
			catch (RuntimeException e) {
				failures.add(e.getMessage());
			}
		}
		throw new IllegalStateException("No sentinel of " + group + " answers: " + failures);
	}

	/**
	 * Kills the current master and waits until every sentinel that answers names the other
	 * server, and that server says it is master.
	 *
	 * @return the promoted server
	 * @throws IllegalStateException if the other server does not run, or the failover does not
	 *     complete within {@code timeout}
	 */
	RedisServer failover(Duration timeout) {
		RedisServer current = currentMaster();
		RedisServer next = (current == master) ? replica : master;
		if (!ClusterCommands.isAnswering(next)) {
			throw new IllegalStateException("Cannot fail over from " + current + ": " + next + " does not run");
		}
		current.kill();
		Waits.until("the sentinels to promote " + next + " after " + current + " was killed", timeout,
				() -> promotionMissing(next));
		return next;
	}

	/** {@return {@code null} once every sentinel that answers names {@code next}, and it is master} */
	private String promotionMissing(RedisServer next) {
		for (RedisServer sentinel : sentinels) {
			if (ClusterCommands.isAnswering(sentinel) && masterPortSeenBy(sentinel) != next.port()) {
				return sentinel + " still names port " + masterPortSeenBy(sentinel);
			}
		}
		String role = ClusterCommands.role(next);
		return "master".equals(role) ? null : next + " answers ROLE " + role;
	}

	private int masterPortSeenBy(RedisServer sentinel) {
		RespClient.Reply address = ClusterCommands.ok(sentinel, "SENTINEL", "get-master-addr-by-name", masterName);
		if (address.elements() == null || address.elements().size() < 2) {
			throw new IllegalStateException(sentinel + " does not know master " + masterName);
		}
		return Integer.parseInt(address.element(1));
	}

	private RedisServer serverAt(int port) {
		if (port == master.port()) {
			return master;
		}
		if (port == replica.port()) {
			return replica;
		}
		throw new IllegalStateException("The sentinels name port " + port + " as master, neither " + master
				+ " nor " + replica);
	}
}
