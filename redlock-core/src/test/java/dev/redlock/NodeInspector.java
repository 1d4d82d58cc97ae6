package dev.redlock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.redlock.testkit.RedisServer;
import dev.redlock.testkit.RedisServers;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.awaitility.Awaitility;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Looks at what the nodes really hold, with connections of its own, so tests check Redis
 * and not the library's idea of it. Opens a connection per call: nodes get killed and
 * restarted under it. A node may be a cluster or a Sentinel group ({@link TestNode}): a key is
 * read where it lives now (following an {@code -ASK} during a slot migration), and what is
 * counted over a node (keys, calls, subscribers) is summed over its masters.
 */
public final class NodeInspector implements AutoCloseable {

	private final List<TestNode> nodes;

	private final RedisClient client = RedisClient.create();

	public NodeInspector(RedisServers servers) {
		this(TestNode.of(servers));
	}

	public NodeInspector(List<TestNode> nodes) {
		this.nodes = List.copyOf(nodes);
	}

	public String get(int node, String key) {
		return onKey(node, key, (redis) -> redis.get(key));
	}

	public long pttl(int node, String key) {
		return onKey(node, key, (redis) -> redis.pttl(key));
	}

	public void set(int node, String key, String value) {
		onKey(node, key, (redis) -> redis.set(key, value));
	}

	/** Deletes {@code key}, as its expiry would: nobody is told. */
	public void delete(int node, String key) {
		onKey(node, key, (redis) -> redis.del(key));
	}

	/** Sets {@code key} to expire after {@code ttl}, as another owner's lock would. */
	public void set(int node, String key, String value, Duration ttl) {
		onKey(node, key, (redis) -> redis.set(key, value, SetArgs.Builder.px(ttl.toMillis())));
	}

	/** Keys on the node; an empty list means nothing was left behind. */
	public List<String> keys(int node) {
		List<String> keys = new ArrayList<>();
		for (RedisServer server : this.nodes.get(node).dataServers()) {
			keys.addAll(call(server, (redis) -> redis.keys("*")));
		}
		return keys;
	}

	/** Values of {@code key} on the running nodes. */
	public List<String> valuesOnRunningNodes(String key) {
		List<String> values = new ArrayList<>();
		for (int i = 0; i < this.nodes.size(); i++) {
			if (this.nodes.get(i).isRunning() && !this.nodes.get(i).isPaused()) {
				values.add(get(i, key));
			}
		}
		return values;
	}

	/**
	 * Waits until every running node holds {@code value} under {@code key} ({@code null}: no
	 * key). An operation returns once a quorum has answered; the last node may still be at it.
	 */
	public void awaitEverywhere(String key, String value) {
		Awaitility.await()
			.atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(valuesOnRunningNodes(key)).as("values of %s", key)
				.allMatch((v) -> Objects.equals(v, value)));
	}

	/** How often the node's masters ran {@code command}, scripts' calls included. */
	public long calls(int node, String command) {
		long calls = 0;
		for (RedisServer server : this.nodes.get(node).dataServers()) {
			String info = call(server, (redis) -> redis.info("commandstats"));
			for (String line : info.split("\r?\n")) {
				if (line.startsWith("cmdstat_" + command + ":calls=")) {
					calls += Long.parseLong(line.substring(line.indexOf('=') + 1, line.indexOf(',')));
				}
			}
		}
		return calls;
	}

	/** How often each node ran {@code command}, by node. */
	public long[] callsByNode(String command) {
		long[] calls = new long[this.nodes.size()];
		for (int i = 0; i < calls.length; i++) {
			calls[i] = calls(i, command);
		}
		return calls;
	}

	/** How many connections are subscribed to {@code channel} on the node. */
	public long subscribers(int node, String channel) {
		long subscribers = 0;
		for (RedisServer server : this.nodes.get(node).dataServers()) {
			subscribers += call(server, (redis) -> redis.pubsubNumsub(channel).getOrDefault(channel, 0L));
		}
		return subscribers;
	}

	/**
	 * How many listen for {@code resource}'s releases on the node: subscribers of its channel
	 * ({@code redlock:releases:<resource>}), where waiters outside a line listen, and the own
	 * channels ({@code redlock:releases:<resource>@<line id>}) of the waiters in its line.
	 */
	public long listeners(int node, String resource) {
		String channel = "redlock:releases:" + resource;
		return subscribers(node, channel) + channels(node, globEscaped(channel) + "@*").size();
	}

	private static String globEscaped(String text) {
		StringBuilder escaped = new StringBuilder();
		for (char c : text.toCharArray()) {
			if ("*?[]\\".indexOf(c) >= 0) {
				escaped.append('\\');
			}
			escaped.append(c);
		}
		return escaped.toString();
	}

	/** The channels matching {@code pattern} that someone is subscribed to on the node. */
	public List<String> channels(int node, String pattern) {
		List<String> channels = new ArrayList<>();
		for (RedisServer server : this.nodes.get(node).dataServers()) {
			channels.addAll(call(server, (redis) -> redis.pubsubChannels(pattern)));
		}
		return channels;
	}

	/**
	 * The waiting line of {@code resource} on the node, head first: the line ids of the
	 * waiters, under {@code redlock:line:} and the resource's hash tag (here the whole
	 * resource, which must hold no brace).
	 */
	public List<String> line(int node, String resource) {
		String key = "redlock:line:{" + resource + "}";
		return onKey(node, key, (redis) -> redis.lrange(key, 0, -1));
	}

	/** Puts {@code lineId} at the end of the resource's line on every node, as a waiter would. */
	public void enterLine(String resource, String lineId) {
		for (int i = 0; i < this.nodes.size(); i++) {
			enterLine(i, resource, lineId);
		}
	}

	/**
	 * Puts {@code lineId} at the end of the resource's line on every node but {@code skipped}:
	 * a waiter whose entry that node never got, so the lines disagree there.
	 */
	public void enterLineOnAllBut(int skipped, String resource, String lineId) {
		for (int i = 0; i < this.nodes.size(); i++) {
			if (i != skipped) {
				enterLine(i, resource, lineId);
			}
		}
	}

	/** Puts {@code lineId} at the end of the resource's line on one node. */
	public void enterLine(int node, String resource, String lineId) {
		String key = "redlock:line:{" + resource + "}";
		onKey(node, key, (redis) -> redis.rpush(key, lineId));
	}

	/**
	 * Replaces the resource's line on one node with {@code lineIds}, head first: the order the
	 * node would have kept had the waiters' entries reached it in that order.
	 */
	public void replaceLine(int node, String resource, List<String> lineIds) {
		String key = "redlock:line:{" + resource + "}";
		onKey(node, key, (redis) -> {
			redis.del(key);
			return redis.rpush(key, lineIds.toArray(String[]::new));
		});
	}

	public void publish(int node, String channel, String message) {
		call(this.nodes.get(node).dataServers().get(0), (redis) -> redis.publish(channel, message));
	}

	public void scriptFlush(int node) {
		for (RedisServer server : this.nodes.get(node).dataServers()) {
			call(server, RedisCommands::scriptFlush);
		}
	}

	/**
	 * Runs a command on {@code key} where it lives. In a slot being migrated, the key may have
	 * moved on already: the owner then answers {@code -ASK host:port}, and the command is sent
	 * there after {@code ASKING}, as a cluster client would.
	 */
	private <T> T onKey(int node, String key, Function<RedisCommands<String, String>, T> command) {
		RedisServer server = this.nodes.get(node).serverFor(key);
		try {
			return call(server, command);
		}
		catch (RedisCommandExecutionException ex) {
			String message = String.valueOf(ex.getMessage());
			if (!message.startsWith("ASK ")) {
				throw ex;
			}
			String address = message.substring(message.lastIndexOf(' ') + 1);
			RedisURI target = RedisURI.create("redis://" + address);
			return call(target, (redis) -> {
				redis.asking();
				return command.apply(redis);
			});
		}
	}

	private <T> T call(RedisServer server, Function<RedisCommands<String, String>, T> command) {
		return call(RedisURI.create(server.uri()), command);
	}

	private <T> T call(RedisURI uri, Function<RedisCommands<String, String>, T> command) {
		try (StatefulRedisConnection<String, String> connection = this.client.connect(uri)) {
			return command.apply(connection.sync());
		}
	}

	/** Bounded: a test must not hang on a client shutdown. */
	@Override
	public void close() {
		try {
			this.client.shutdownAsync(0, 2, TimeUnit.SECONDS).get(20, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not shut the inspecting client down", ex);
		}
	}

}
