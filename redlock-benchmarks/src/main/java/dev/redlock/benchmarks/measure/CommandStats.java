package dev.redlock.benchmarks.measure;

import java.time.Duration;
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

	/** What the nodes spend per second with nobody locking, in µs: 0 until {@link #measureIdle}. */
	private volatile double idleMicrosPerSecond;

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

	/**
	 * CPU the nodes have used since they started, summed, in µs: {@code used_cpu_user} and
	 * {@code used_cpu_sys} of {@code INFO cpu}, which include the node's own housekeeping.
	 */
	public double cpuMicros() {
		double micros = 0;
		for (RedisCommands<String, String> node : this.nodes) {
			micros += cpuMicros(node.info("cpu"));
		}
		return micros;
	}

	/**
	 * Reads what the nodes spend with nobody locking (cron, a cluster's gossip, the probe's
	 * own {@code INFO}), over {@code idle}; windows then leave it out of their node CPU. When
	 * few locks are taken, as on a loaded machine, that housekeeping would otherwise pass for
	 * a cost of the locks.
	 */
	public void measureIdle(Duration idle) throws InterruptedException {
		long start = System.nanoTime();
		double before = cpuMicros();
		Thread.sleep(idle.toMillis());
		double after = cpuMicros();
		this.idleMicrosPerSecond = Math.max(0, (after - before) / ((System.nanoTime() - start) / 1e9));
	}

	/** @see #measureIdle */
	public double idleMicrosPerSecond() {
		return this.idleMicrosPerSecond;
	}

	/** {@code used_cpu_user + used_cpu_sys} of one node's {@code INFO cpu}, in µs. */
	static double cpuMicros(String info) {
		double seconds = 0;
		for (String line : info.split("\r?\n")) {
			// used_cpu_sys:0.421504 (seconds); the _children and _main_thread lines are left out
			if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
				seconds += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
			}
		}
		return seconds * 1e6;
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
