package dev.redlock.internal;

import java.util.List;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;

/**
 * A configured node: a master or a Sentinel group ({@code uris} holds its one URI), or a
 * whole Redis Cluster ({@code uris} holds its seeds); and the client to reach it through when
 * the user manages one ({@code null} when the Redlock creates and owns it).
 */
public record NodeSpec(List<RedisURI> uris, boolean cluster, RedisClient client, RedisClusterClient clusterClient) {

	public static NodeSpec standalone(RedisURI uri, RedisClient client) {
		return new NodeSpec(List.of(uri), false, client, null);
	}

	public static NodeSpec cluster(List<RedisURI> seeds) {
		return new NodeSpec(List.copyOf(seeds), true, null, null);
	}

	/** A cluster reached through a client the user manages: its seeds are the client's. */
	public static NodeSpec cluster(RedisClusterClient client) {
		return new NodeSpec(List.of(), true, null, client);
	}

	/** The URI of a master or Sentinel group. */
	public RedisURI uri() {
		return this.uris.get(0);
	}

	/** Whether the Redlock creates (and so closes) the client. */
	public boolean ownsClient() {
		return this.client == null && this.clusterClient == null;
	}

	/** The node as shown in logs, before connecting. */
	public String name() {
		if (!this.cluster) {
			return NodeNames.of(uri());
		}
		return this.uris.isEmpty() ? "redis-cluster://(client managed by the application)" : NodeNames.ofCluster(this.uris);
	}

}
