package dev.redlock.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import dev.redlock.Redlock;
import dev.redlock.testkit.RedisServer;
import dev.redlock.testkit.RedisServersExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import org.springframework.context.ApplicationContext;

/**
 * The test's own view of the Redis nodes, with connections of its own, so that tests check
 * what Redis holds rather than what the library believes. A connection per call: nodes are
 * killed and restarted under it.
 */
final class RedisNodes implements AutoCloseable {

	private final RedisServersExtension redis;

	private final RedisClient client = RedisClient.create();

	RedisNodes(RedisServersExtension redis) {
		this.redis = redis;
	}

	/** {@code redlock.nodes[i]} for every node, and a command timeout that a busy CI machine keeps. */
	static String[] properties(RedisServersExtension redis) {
		List<String> properties = new ArrayList<>();
		for (int i = 0; i < redis.size(); i++) {
			properties.add("redlock.nodes[" + i + "]=" + redis.uris().get(i));
		}
		properties.add("redlock.command-timeout=1s");
		return properties.toArray(String[]::new);
	}

	/**
	 * Makes one acquisition so that every connection is up: a test that allows exactly one
	 * attempt must not spend it on connecting.
	 */
	static void warmUp(ApplicationContext context) {
		context.getBean(Redlock.class)
			.acquire(List.of("warm-up"), Duration.ofSeconds(5), Duration.ofSeconds(20))
			.release();
	}

	/** The value of {@code key} on every running node, {@code null} where it is absent. */
	List<String> values(String key) {
		List<String> values = new ArrayList<>();
		for (int i = 0; i < this.redis.size(); i++) {
			RedisServer server = this.redis.get(i);
			if (server.isRunning() && !server.isPaused()) {
				values.add(call(i, (commands) -> commands.get(key)));
			}
		}
		return values;
	}

	/** Whether every node holds {@code value} under each of {@code keys}. */
	boolean holdEverywhere(List<String> keys, String value) {
		// An acquisition returns once a quorum granted; the other nodes follow at once, so
		// give them a moment rather than race them.
		return soon(() -> keys.stream().allMatch((key) -> values(key).stream().allMatch(value::equals)));
	}

	/** Whether no running node has {@code key}, now. */
	boolean absentEverywhere(String key) {
		return values(key).stream().allMatch((value) -> value == null);
	}

	/**
	 * Whether no running node has {@code key} after a release. A release returns once a quorum
	 * of nodes deleted the key; the others follow at once, so give them a moment rather than
	 * race them.
	 */
	boolean releasedEverywhere(String key) {
		return soon(() -> absentEverywhere(key));
	}

	/** Whether {@code condition} holds within 10 s. */
	private static boolean soon(BooleanSupplier condition) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (true) {
			boolean holds = condition.getAsBoolean();
			if (holds || System.nanoTime() > deadline) {
				return holds;
			}
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
	}

	/** Deletes {@code key} on every running node, as if its lock had expired everywhere. */
	void deleteEverywhere(String key) {
		for (int i = 0; i < this.redis.size(); i++) {
			RedisServer server = this.redis.get(i);
			if (server.isRunning() && !server.isPaused()) {
				call(i, (commands) -> commands.del(key));
			}
		}
	}

	long pttl(int node, String key) {
		return call(node, (commands) -> commands.pttl(key));
	}

	void set(int node, String key, String value) {
		call(node, (commands) -> commands.set(key, value));
	}

	private <T> T call(int node, Function<RedisCommands<String, String>, T> command) {
		RedisServer server = this.redis.get(node);
		try (StatefulRedisConnection<String, String> connection = this.client
			.connect(RedisURI.create(server.host(), server.port()))) {
			return command.apply(connection.sync());
		}
	}

	@Override
	public void close() {
		this.client.shutdown();
	}

}
