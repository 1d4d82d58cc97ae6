package dev.redlock.internal;

import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.resource.ClientResources;

/**
 * Creates the node for a configured entry, with the client options every node needs:
 * commands to a disconnected node fail at once instead of queueing, so a down node never
 * holds an operation longer than it takes to say no; and Lettuce's own command timeout is
 * the per-node timeout, so a command that timed out is never replayed after a reconnect,
 * behind the undo that was meant to follow it. A cluster also refreshes its topology on
 * {@code MOVED}, {@code ASK} and reconnects, to follow a resharding or a failover.
 */
final class NodeFactory {

	private final ClientResources resources;

	private final ClientCustomizers customizer;

	private final Duration commandTimeout;

	private final Callbacks callbacks;

	private final int replicaAcknowledgements;

	/**
	 * @param replicaAcknowledgements replicas that must acknowledge a grant on a node that can
	 * fail over (a Sentinel group, a cluster); a standalone master has no failover to lose it to
	 */
	NodeFactory(ClientResources resources, ClientCustomizers customizer, Duration commandTimeout, Callbacks callbacks,
			int replicaAcknowledgements) {
		this.resources = resources;
		this.customizer = customizer;
		this.commandTimeout = commandTimeout;
		this.callbacks = callbacks;
		this.replicaAcknowledgements = replicaAcknowledgements;
	}

	RedisNode create(NodeSpec spec, Consumer<Set<String>> onIdentified, Consumer<String> onReleaseMessage) {
		if (spec.cluster()) {
			RedisClusterClient client = spec.clusterClient();
			if (client == null) {
				client = RedisClusterClient.create(this.resources, spec.uris().stream().map(this::withTimeout).toList());
				client.setOptions(clusterOptions());
				this.customizer.cluster().accept(client);
			}
			return new ClusterNode(client, spec.name(), spec.ownsClient(), this.callbacks, onIdentified, onReleaseMessage,
					this.replicaAcknowledgements, replicaTimeout());
		}
		RedisClient client = spec.client();
		if (client == null) {
			client = RedisClient.create(this.resources);
			client.setOptions(standaloneOptions());
			this.customizer.standalone().accept(client);
		}
		boolean failsOver = !spec.uri().getSentinels().isEmpty();
		return new StandaloneNode(client, withTimeout(spec.uri()), spec.ownsClient(), this.callbacks, onIdentified,
				onReleaseMessage, failsOver ? this.replicaAcknowledgements : 0, replicaTimeout());
	}

	/**
	 * The URI's timeout bounds the handshake (HELLO, AUTH) of every connect: as long as the
	 * connect timeout, not the command timeout, so a JVM still warming up on a loaded machine
	 * is not refused its connections. Commands have their own, shorter timeout.
	 */
	private RedisURI withTimeout(RedisURI uri) {
		// Lettuce's copying builder leaves out the Sentinels and the master id: added back here.
		RedisURI.Builder copy = RedisURI.builder(uri).withTimeout(connectTimeout(this.commandTimeout));
		uri.getSentinels().forEach(copy::withSentinel);
		if (uri.getSentinelMasterId() != null) {
			copy.withSentinelMasterId(uri.getSentinelMasterId());
		}
		return copy.build();
	}

	private ClientOptions standaloneOptions() {
		return ClientOptions.builder()
			.autoReconnect(true)
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.timeoutOptions(TimeoutOptions.enabled(this.commandTimeout))
			.socketOptions(socketOptions())
			.build();
	}

	private ClusterClientOptions clusterOptions() {
		return ClusterClientOptions.builder()
			.autoReconnect(true)
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.timeoutOptions(TimeoutOptions.enabled(this.commandTimeout))
			.socketOptions(socketOptions())
			.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
				.enableAllAdaptiveRefreshTriggers()
				.adaptiveRefreshTriggersTimeout(Duration.ofMillis(100))
				.enablePeriodicRefresh(Duration.ofSeconds(30))
				.build())
			.build();
	}

	/** Half the command timeout: WAIT answers with the count it has before Lettuce gives up on it. */
	private Duration replicaTimeout() {
		return this.commandTimeout.dividedBy(2);
	}

	private SocketOptions socketOptions() {
		return SocketOptions.builder().connectTimeout(connectTimeout(this.commandTimeout)).keepAlive(true).build();
	}

	static Duration connectTimeout(Duration commandTimeout) {
		Duration twice = commandTimeout.multipliedBy(2);
		return (twice.toMillis() < 500) ? Duration.ofMillis(500) : twice;
	}

}
