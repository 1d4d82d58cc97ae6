package dev.redlock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import dev.redlock.testkit.RedisServers;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.awaitility.Awaitility;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Looks at what the nodes really hold, with connections of its own, so tests check Redis
 * and not the library's idea of it. Opens a connection per call: nodes get killed and
 * restarted under it.
 */
public final class NodeInspector implements AutoCloseable {

	private final RedisServers servers;

	private final RedisClient client = RedisClient.create();

	public NodeInspector(RedisServers servers) {
		this.servers = servers;
	}

	public String get(int node, String key) {
		return call(node, (redis) -> redis.get(key));
	}

	public long pttl(int node, String key) {
		return call(node, (redis) -> redis.pttl(key));
	}

	public void set(int node, String key, String value) {
		call(node, (redis) -> redis.set(key, value));
	}

	/** Keys on the node; an empty list means nothing was left behind. */
	public List<String> keys(int node) {
		return call(node, (redis) -> redis.keys("*"));
	}

	/** Values of {@code key} on the running nodes. */
	public List<String> valuesOnRunningNodes(String key) {
		List<String> values = new ArrayList<>();
		for (int i = 0; i < this.servers.size(); i++) {
			if (this.servers.get(i).isRunning() && !this.servers.get(i).isPaused()) {
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

	public long calls(int node, String command) {
		String info = call(node, (redis) -> redis.info("commandstats"));
		for (String line : info.split("\r?\n")) {
			if (line.startsWith("cmdstat_" + command + ":calls=")) {
				return Long.parseLong(line.substring(line.indexOf('=') + 1, line.indexOf(',')));
			}
		}
		return 0;
	}

	/** How many connections are subscribed to {@code channel} on the node. */
	public long subscribers(int node, String channel) {
		return call(node, (redis) -> redis.pubsubNumsub(channel).getOrDefault(channel, 0L));
	}

	public void publish(int node, String channel, String message) {
		call(node, (redis) -> redis.publish(channel, message));
	}

	public void scriptFlush(int node) {
		call(node, RedisCommands::scriptFlush);
	}

	private <T> T call(int node, java.util.function.Function<RedisCommands<String, String>, T> command) {
		try (StatefulRedisConnection<String, String> connection = this.client
			.connect(RedisURI.create(this.servers.get(node).uri()))) {
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
