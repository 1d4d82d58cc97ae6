package dev.redlock;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import dev.redlock.testkit.RedisCluster;
import dev.redlock.testkit.RedisServer;
import dev.redlock.testkit.RedisServers;
import dev.redlock.testkit.SentinelGroup;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.awaitility.Awaitility;

/**
 * One Redlock node as a test sees it, whatever it is made of: a standalone master, a whole
 * Redis Cluster, or a Sentinel group. Faults apply to the whole node, so that "down" means the
 * node cannot vote: every member of a cluster, the master and the replica of a Sentinel group
 * (the sentinels are left alone, as infrastructure). Data lives on {@link #serverFor(String)},
 * the server that holds a key now: for a cluster the master serving its slot, for a Sentinel
 * group the master the sentinels name.
 */
public interface TestNode {

	/** {@return the URI a Redlock is given for this node} */
	String uri();

	/** {@code SIGKILL}s every data-bearing server of the node and waits for them to exit. */
	void kill();

	/** {@code SIGSTOP}s every data-bearing server of the node. */
	void pause();

	/** Resumes whatever {@link #pause()} stopped. */
	void resume();

	/**
	 * Starts every data-bearing server again, empty, on its port, and waits until the node serves
	 * again as it did (a cluster reports {@code cluster_state:ok}, the sentinels name the master).
	 */
	void restart();

	/** {@return whether the node's data-bearing servers run (paused or not)} */
	boolean isRunning();

	/** {@return whether a data-bearing server is paused} */
	boolean isPaused();

	/** {@return the server that serves {@code key} now} */
	RedisServer serverFor(String key);

	/** {@return the servers holding this node's data now: its masters} */
	List<RedisServer> dataServers();

	static TestNode of(RedisServer server) {
		return new Standalone(server);
	}

	static TestNode of(RedisCluster cluster) {
		return new Cluster(cluster);
	}

	static TestNode of(SentinelGroup group) {
		return new Sentinel(group);
	}

	static List<TestNode> of(RedisServers servers) {
		return servers.stream().map(TestNode::of).toList();
	}

	static List<String> uris(List<TestNode> nodes) {
		return nodes.stream().map(TestNode::uri).toList();
	}

	/** A standalone master: the server itself. */
	record Standalone(RedisServer server) implements TestNode {

		@Override
		public String uri() {
			return this.server.uri();
		}

		@Override
		public void kill() {
			this.server.kill();
		}

		@Override
		public void pause() {
			this.server.pause();
		}

		@Override
		public void resume() {
			this.server.resume();
		}

		@Override
		public void restart() {
			this.server.restart();
		}

		@Override
		public boolean isRunning() {
			return this.server.isRunning();
		}

		@Override
		public boolean isPaused() {
			return this.server.isPaused();
		}

		@Override
		public RedisServer serverFor(String key) {
			return this.server;
		}

		@Override
		public List<RedisServer> dataServers() {
			return List.of(this.server);
		}

	}

	/**
	 * A whole cluster. A restart restarts every member on its port with its {@code nodes.conf}
	 * (kept in its scratch directory), so the cluster comes back with its ids and slots, empty.
	 */
	record Cluster(RedisCluster cluster) implements TestNode {

		@Override
		public String uri() {
			return this.cluster.uri();
		}

		@Override
		public void kill() {
			this.cluster.members().forEach(RedisServer::kill);
		}

		@Override
		public void pause() {
			this.cluster.members().forEach(RedisServer::pause);
		}

		@Override
		public void resume() {
			this.cluster.members().forEach(RedisServer::resume);
		}

		@Override
		public void restart() {
			this.cluster.members().forEach(RedisServer::restart);
			Awaitility.await("cluster_state:ok on every member of " + this.cluster)
				.atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(100))
				.ignoreExceptions()
				.until(() -> this.cluster.members().stream().allMatch(Cluster::reportsOk));
		}

		private static boolean reportsOk(RedisServer member) {
			RedisClient client = RedisClient.create();
			try (StatefulRedisConnection<String, String> connection = client.connect(RedisURI.create(member.uri()))) {
				return connection.sync().clusterInfo().contains("cluster_state:ok");
			}
			finally {
				client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
			}
		}

		@Override
		public boolean isRunning() {
			return this.cluster.members().stream().allMatch(RedisServer::isRunning);
		}

		@Override
		public boolean isPaused() {
			return this.cluster.members().stream().anyMatch(RedisServer::isPaused);
		}

		@Override
		public RedisServer serverFor(String key) {
			return this.cluster.masterFor(key);
		}

		@Override
		public List<RedisServer> dataServers() {
			return this.cluster.masters();
		}

	}

	/**
	 * A Sentinel group: its data is on the master the sentinels name. Killing, pausing or
	 * restarting it acts on the master and the replica, so that no failover can keep it voting.
	 */
	record Sentinel(SentinelGroup group) implements TestNode {

		@Override
		public String uri() {
			return this.group.uri();
		}

		private Stream<RedisServer> servers() {
			return Stream.of(this.group.master(), this.group.replica());
		}

		@Override
		public void kill() {
			servers().forEach(RedisServer::kill);
		}

		@Override
		public void pause() {
			servers().forEach(RedisServer::pause);
		}

		@Override
		public void resume() {
			servers().forEach(RedisServer::resume);
		}

		/** The master first, so that the replica finds it and the sentinels keep naming it. */
		@Override
		public void restart() {
			servers().forEach(RedisServer::restart);
			Awaitility.await("the sentinels to name " + this.group.master() + " again")
				.atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(100))
				.ignoreExceptions()
				.until(() -> this.group.currentMaster() == this.group.master());
		}

		/** Whether the master the sentinels name runs: after a failover, the promoted replica. */
		@Override
		public boolean isRunning() {
			return this.group.currentMaster().isRunning();
		}

		@Override
		public boolean isPaused() {
			return this.group.currentMaster().isPaused();
		}

		@Override
		public RedisServer serverFor(String key) {
			return this.group.currentMaster();
		}

		@Override
		public List<RedisServer> dataServers() {
			return List.of(this.group.currentMaster());
		}

	}

}
