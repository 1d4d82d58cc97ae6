package dev.redlock.benchmarks.measure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;

/**
 * Counts the commands the nodes executed, from {@code INFO commandstats} summed over nodes.
 * Commands a Lua script calls count too ({@code redis.call} goes through the same path), so
 * a release by script shows as {@code evalsha} plus its {@code get}, {@code del} and
 * {@code publish}. This probe's own {@code INFO} and {@code CONFIG} calls are left out.
 */
public final class CommandStats implements AutoCloseable {

	private final List<RedisClient> clients = new ArrayList<>();

	private final List<RedisCommands<String, String>> nodes = new ArrayList<>();

	public CommandStats(List<String> uris, ClientResources resources) {
		for (String uri : uris) {
			RedisClient client = RedisClient.create(resources, RedisURI.create(uri));
			this.clients.add(client);
			this.nodes.add(client.connect(StringCodec.UTF8).sync());
		}
	}

	/** Calls per command name, summed over the nodes. */
	public Map<String, Long> snapshot() {
		Map<String, Long> calls = new TreeMap<>();
		for (RedisCommands<String, String> node : this.nodes) {
			for (String line : node.info("commandstats").split("\r?\n")) {
				// cmdstat_set:calls=12,usec=40,usec_per_call=3.33,...
				if (!line.startsWith("cmdstat_")) {
					continue;
				}
				String name = line.substring("cmdstat_".length(), line.indexOf(':'));
				if (name.equals("info") || name.equals("config")) {
					continue;
				}
				int start = line.indexOf("calls=") + "calls=".length();
				int end = line.indexOf(',', start);
				calls.merge(name, Long.parseLong(line.substring(start, end)), Long::sum);
			}
		}
		return calls;
	}

	/** {@code after − before}, per command, leaving out commands that did not run. */
	public static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
		Map<String, Long> delta = new TreeMap<>();
		after.forEach((name, count) -> {
			long d = count - before.getOrDefault(name, 0L);
			if (d > 0) {
				delta.put(name, d);
			}
		});
		return delta;
	}

	@Override
	public void close() {
		for (RedisClient client : this.clients) {
			client.shutdown(0, 2, TimeUnit.SECONDS);
		}
	}

}
