package dev.redlock.internal;

import java.util.List;
import java.util.stream.Collectors;

import io.lettuce.core.RedisURI;

/** How a node is shown in logs and messages: its address, never its credentials. */
public final class NodeNames {

	private NodeNames() {
	}

	/** Replaces the user-info part of any URI in {@code text} ({@code //user:password@}) with {@code //****@}. */
	public static String maskCredentials(String text) {
		return (text != null) ? text.replaceAll("//[^/@\\s]*@", "//****@") : null;
	}

	/** {@code redis-cluster://host:port,...} for a cluster's seeds, or {@code rediss-cluster://} with TLS. */
	public static String ofCluster(List<RedisURI> seeds) {
		String hosts = seeds.stream()
			.map((seed) -> (seed.getHost().contains(":") ? "[" + seed.getHost() + "]" : seed.getHost()) + ":" + seed.getPort())
			.collect(Collectors.joining(","));
		return (!seeds.isEmpty() && seeds.get(0).isSsl() ? "rediss-cluster://" : "redis-cluster://") + hosts;
	}

	/** {@code redis://host:port[/db]}, {@code rediss://...}, or the sentinels and master id. */
	public static String of(RedisURI uri) {
		if (!uri.getSentinels().isEmpty()) {
			String sentinels = uri.getSentinels().stream()
				.map((s) -> s.getHost() + ":" + s.getPort())
				.collect(Collectors.joining(","));
			return "redis-sentinel://" + sentinels + "/" + uri.getSentinelMasterId();
		}
		if (uri.getSocket() != null) {
			return "redis-socket://" + uri.getSocket();
		}
		String host = uri.getHost().contains(":") ? "[" + uri.getHost() + "]" : uri.getHost();
		String database = (uri.getDatabase() != 0) ? "/" + uri.getDatabase() : "";
		return (uri.isSsl() ? "rediss://" : "redis://") + host + ":" + uri.getPort() + database;
	}

}
