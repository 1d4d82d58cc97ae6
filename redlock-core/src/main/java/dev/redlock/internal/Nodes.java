package dev.redlock.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

import dev.redlock.RedlockException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The independent masters of one Redlock, and the rule that each server votes once: two
 * entries that reach the same server, however they are spelled, are told apart by what the
 * server says of itself (its {@code run_id}), refused at build, and, if it happens later (a
 * DNS switch), the later entry stops voting until it is a different server again.
 */
final class Nodes {

	private static final Logger logger = LoggerFactory.getLogger(Nodes.class);

	private final List<RedisNode> nodes = new ArrayList<>();

	private final List<Set<String>> identities = new ArrayList<>();

	private final Callbacks callbacks;

	private final ClientResources ownedResources;

	private Nodes(Callbacks callbacks, ClientResources ownedResources) {
		this.callbacks = callbacks;
		this.ownedResources = ownedResources;
	}

	/**
	 * Connects to every node and gives the first connections a moment, so the first operation
	 * does not spend its per-node timeout on a handshake. A node that is down costs its
	 * refusal, or the bound: building never fails on it.
	 * @param resources shared client resources, or {@code null} to create (and own) them
	 * @param customizer applied to each client this creates, after the defaults
	 * @throws IllegalArgumentException if two entries reach the same server
	 */
	static Nodes connect(List<NodeSpec> specs, ClientResources resources, ClientCustomizers customizer,
			Duration commandTimeout, int replicaAcknowledgements, Callbacks callbacks, BiConsumer<Integer, String> onReleaseMessage) {
		ClientResources owned = null;
		if (resources == null && specs.stream().anyMatch(NodeSpec::ownsClient)) {
			// Reconnect fast: a node back from a restart should vote again within a second.
			owned = DefaultClientResources.builder()
				.reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
				.build();
			resources = owned;
		}
		Nodes nodes = new Nodes(callbacks, owned);
		NodeFactory factory = new NodeFactory(resources, customizer, commandTimeout, callbacks, replicaAcknowledgements);
		for (NodeSpec spec : specs) {
			int index = nodes.nodes.size();
			nodes.identities.add(Set.of());
			nodes.nodes.add(factory.create(spec, (identity) -> nodes.identified(index, identity),
					(message) -> onReleaseMessage.accept(index, message)));
		}
		List<CompletableFuture<?>> connecting = nodes.nodes.stream().<CompletableFuture<?>>map(RedisNode::connect).toList();
		// Twice the connect timeout: a cluster connects in several steps (topology, connection,
		// members' identities), and a cold JVM takes its time; healthy nodes return at once.
		await(CompletableFuture.allOf(connecting.toArray(CompletableFuture[]::new)),
				NodeFactory.connectTimeout(commandTimeout).multipliedBy(2));
		try {
			nodes.refuseDuplicates(specs);
		}
		catch (IllegalArgumentException ex) {
			nodes.close(commandTimeout);
			throw ex;
		}
		return nodes;
	}

	List<RedisNode> all() {
		return this.nodes;
	}

	int size() {
		return this.nodes.size();
	}

	/** N/2+1. */
	int quorum() {
		return this.nodes.size() / 2 + 1;
	}

	List<String> names() {
		return this.nodes.stream().map(RedisNode::name).toList();
	}

	/** On every connect of every node: tells the listener of a changed server, and stops a second vote. */
	private void identified(int index, Set<String> identity) {
		Set<String> previous;
		List<Integer> newlyDuplicate = new ArrayList<>();
		synchronized (this.identities) {
			previous = this.identities.set(index, identity);
			for (int i = 0; i < this.nodes.size(); i++) {
				int first = firstSharing(i, this.identities);
				RedisNode node = this.nodes.get(i);
				boolean wasDuplicate = node.isSameServerAsAnother();
				node.sameServerAs((first >= 0) ? this.nodes.get(first).name() : null);
				if (first >= 0 && !wasDuplicate) {
					newlyDuplicate.add(i);
				}
			}
		}
		String name = this.nodes.get(index).name();
		if (!previous.isEmpty() && !identity.isEmpty() && !previous.equals(identity)) {
			logger.info("{} is now a different server (run_id {} replaced {}): restarted, failed over or re-pointed", name,
					identity, previous);
			this.callbacks.nodeIdentityChanged(name, String.join(",", new TreeSet<>(previous)),
					String.join(",", new TreeSet<>(identity)));
		}
		for (int i : newlyDuplicate) {
			RedlockException error = new RedlockException("nodes[" + i + "] " + this.nodes.get(i).name()
					+ " now reaches the same server as another node (run_id " + identity + "); it stops voting");
			logger.error(error.getMessage());
			this.callbacks.clientError(this.nodes.get(i).name(), error);
		}
	}

	/** The first node before {@code index} that shares a server with it, or -1. */
	private static int firstSharing(int index, List<Set<String>> servers) {
		for (int j = 0; j < index; j++) {
			if (!Collections.disjoint(servers.get(j), servers.get(index))) {
				return j;
			}
		}
		return -1;
	}

	/**
	 * Refuses entries that reach the same server: the same cluster twice, a master that is
	 * also a member of a listed cluster, one master under two spellings. Identities come from
	 * the servers; for a user who may not run INFO, the resolved address stands in.
	 */
	private void refuseDuplicates(List<NodeSpec> specs) {
		List<Set<String>> servers = new ArrayList<>();
		List<String> problems = new ArrayList<>();
		for (int i = 0; i < this.nodes.size(); i++) {
			Set<String> server = this.nodes.get(i).identities();
			if (server.isEmpty() && !specs.get(i).cluster()) {
				String address = resolvedAddress(specs.get(i).uri());
				server = (address != null) ? Set.of(address) : Set.of();
			}
			servers.add(server);
			int first = firstSharing(i, servers);
			if (first >= 0) {
				Set<String> shared = new TreeSet<>(server);
				shared.retainAll(servers.get(first));
				// Two clusters that share members are one cluster written with other seeds.
				boolean sameCluster = specs.get(i).cluster() && specs.get(first).cluster();
				problems.add("nodes[" + i + "] " + this.nodes.get(i).name() + " and nodes[" + first + "] "
						+ this.nodes.get(first).name() + (sameCluster ? " are the same cluster, listed twice with other seeds ("
								: " are the same server (")
						+ String.join(", ", shared.stream().map((id) -> id.startsWith("address ") ? id : "run_id " + id).toList())
						+ "); list each server once");
			}
		}
		if (!problems.isEmpty()) {
			throw new IllegalArgumentException("Invalid Redlock configuration: a server must vote only once, or two holders "
					+ "could each count a majority: " + String.join("; ", problems));
		}
	}

	private static String resolvedAddress(RedisURI uri) {
		if (uri.getHost() == null || !uri.getSentinels().isEmpty()) {
			return null;
		}
		try {
			return "address " + InetAddress.getByName(uri.getHost()).getHostAddress() + ":" + uri.getPort();
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	private static void await(CompletableFuture<?> future, Duration bound) {
		try {
			future.get(bound.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			logger.debug("Not every node answered within {} ms: {}", bound.toMillis(), ex.toString());
		}
	}

	/**
	 * Closes every connection, waiting at most {@code bound}: a paused node or one still
	 * mid-handshake must never hang an application's shutdown. What is still closing then
	 * finishes in the background.
	 */
	void close(Duration bound) {
		List<CompletableFuture<Void>> closing = new ArrayList<>();
		for (RedisNode node : this.nodes) {
			closing.add(node.closeAsync().exceptionally((ex) -> {
				logger.debug("Could not close the connections to {}", node.name(), ex);
				return null;
			}));
		}
		await(CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)), bound);
		if (this.ownedResources != null) {
			this.ownedResources.shutdown(0, 1, TimeUnit.SECONDS);
		}
	}

}
