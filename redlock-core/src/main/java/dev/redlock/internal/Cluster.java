package dev.redlock.internal;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.redlock.Lock;
import dev.redlock.LockHandle;
import dev.redlock.RedlockException;
import dev.redlock.RedlockListener;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timer;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nodes of one Redlock and what every operation shares: the quorum, the settings, one
 * scheduler for retries and automatic extensions, one coarse timer for per-node timeouts,
 * the release notifications and the listener.
 */
public final class Cluster implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(Cluster.class);

	private final List<RedisNode> nodes;

	private final int quorum;

	private final Settings settings;

	private final RedlockListener listener;

	private final ClientResources ownedResources;

	/** Per-node timeouts: a wheel costs no thread wake-up per operation, unlike a delay queue. */
	private final HashedWheelTimer timer = new HashedWheelTimer(new DefaultThreadFactory("redlock-timeout", true), 10,
			TimeUnit.MILLISECONDS);

	private final ScheduledExecutorService scheduler;

	private final ReleaseNotifications notifications;

	private final SecureRandom random = new SecureRandom();

	/** Acquisitions under way, so that closing ends them instead of leaving callers waiting. */
	private final Set<CompletableFuture<Lock>> pending = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean closed = new AtomicBoolean();

	/**
	 * Connects to every node, asynchronously: a node that is down costs failed votes until
	 * it is back, not a failed start.
	 * @param resources shared client resources, or {@code null} to create (and own) them
	 * @param customizer applied to each client this creates, after the defaults
	 */
	public static Cluster connect(List<NodeSpec> specs, ClientResources resources, Consumer<RedisClient> customizer,
			Settings settings, RedlockListener listener) {
		ClientResources owned = null;
		if (resources == null && specs.stream().anyMatch((spec) -> spec.client() == null)) {
			// Reconnect fast: a node back from a restart should vote again within a second.
			owned = DefaultClientResources.builder()
				.reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
				.build();
			resources = owned;
		}
		List<RedisNode> nodes = new ArrayList<>();
		for (NodeSpec spec : specs) {
			if (spec.client() != null) {
				nodes.add(new RedisNode(spec.client(), spec.uri(), false));
				continue;
			}
			RedisClient client = RedisClient.create(resources);
			client.setOptions(defaultClientOptions(settings));
			customizer.accept(client);
			nodes.add(new RedisNode(client, spec.uri(), true));
		}
		return new Cluster(nodes, settings, listener, owned);
	}

	/**
	 * Commands to a disconnected node fail at once instead of queueing until it is back, so
	 * a down node never holds an operation longer than it takes to say no.
	 */
	private static ClientOptions defaultClientOptions(Settings settings) {
		Duration connectTimeout = settings.commandTimeout().multipliedBy(2);
		return ClientOptions.builder()
			.autoReconnect(true)
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.socketOptions(SocketOptions.builder()
				.connectTimeout((connectTimeout.toMillis() < 500) ? Duration.ofMillis(500) : connectTimeout)
				.keepAlive(true)
				.build())
			.build();
	}

	private Cluster(List<RedisNode> nodes, Settings settings, RedlockListener listener, ClientResources ownedResources) {
		this.nodes = List.copyOf(nodes);
		this.quorum = nodes.size() / 2 + 1;
		this.settings = settings;
		this.listener = listener;
		this.ownedResources = ownedResources;
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
				new DefaultThreadFactory("redlock-scheduler", true));
		executor.setRemoveOnCancelPolicy(true);
		this.scheduler = Executors.unconfigurableScheduledExecutorService(executor);
		this.notifications = new ReleaseNotifications(this);
	}

	List<RedisNode> nodes() {
		return this.nodes;
	}

	/** The nodes as shown in logs: addresses, never credentials. */
	public List<String> nodeNames() {
		return this.nodes.stream().map(RedisNode::name).toList();
	}

	/**
	 * Starts an acquisition.
	 * @param retryCount retries after the first attempt, -1 for no limit but {@code maxWait}
	 * @param maxWait how long to keep trying, or {@code null} for no bound but the retry count
	 */
	public CompletableFuture<Lock> acquire(List<String> resources, Duration ttl, int retryCount,
			Duration maxWait) {
		CompletableFuture<Lock> result = new Acquisition(this, resources, ttl, retryCount, maxWait).start();
		if (!result.isDone()) {
			this.pending.add(result);
			result.whenComplete((lock, ex) -> this.pending.remove(result));
		}
		return result;
	}

	public int quorum() {
		return this.quorum;
	}

	public Settings settings() {
		return this.settings;
	}

	Timer timer() {
		return this.timer;
	}

	ScheduledExecutorService scheduler() {
		return this.scheduler;
	}

	ReleaseNotifications notifications() {
		return this.notifications;
	}

	/** A new lock token: 128 bits from a cryptographically strong source, as hex. */
	String newToken() {
		byte[] bytes = new byte[16];
		this.random.nextBytes(bytes);
		return HexFormat.of().formatHex(bytes);
	}

	Tally acquireRound(String[] keys, String token, long ttlMillis) {
		return fanOut(true, (node) -> node.acquire(keys, token, ttlMillis));
	}

	Tally extendRound(String[] keys, String token, long ttlMillis) {
		return fanOut(false, (node) -> node.extend(keys, token, ttlMillis));
	}

	/** Sent to every node, also those that did not grant: a late SET may still land there. */
	Tally releaseRound(String[] keys, String token, boolean notifyWaiters) {
		return releaseRound(keys, token, notifyWaiters, null);
	}

	/**
	 * {@link #releaseRound(String[], String, boolean)}, decided once the {@code awaited} nodes
	 * have answered: the others are sent the release all the same, behind whatever they were
	 * sent before on the same connection, but a slow or partitioned node then costs no wait.
	 */
	Tally releaseRound(String[] keys, String token, boolean notifyWaiters, boolean[] awaited) {
		String channel = (notifyWaiters && this.settings.notifications()) ? this.settings.notificationChannel() : "";
		return fanOut(false, awaited, (node) -> node.release(keys, token, channel));
	}

	private Tally fanOut(boolean decideOnQuorum, Function<RedisNode, CompletableFuture<Boolean>> command) {
		return fanOut(decideOnQuorum, null, command);
	}

	/** One command to every node in parallel: one round trip, not one per node. */
	private Tally fanOut(boolean decideOnQuorum, boolean[] awaited, Function<RedisNode, CompletableFuture<Boolean>> command) {
		Tally tally = new Tally(this, System.nanoTime(), decideOnQuorum, awaited);
		for (int i = 0; i < this.nodes.size(); i++) {
			int node = i;
			try {
				command.apply(this.nodes.get(i)).whenComplete((ok, ex) -> tally.record(node, ok, ex));
			}
			catch (RuntimeException ex) {
				tally.record(node, null, ex);
			}
		}
		tally.startTimer(this.settings.commandTimeout());
		return tally;
	}

	void reportClientError(String node, Throwable error) {
		logger.debug("Client error from {}: {}", node, error.toString());
		try {
			this.listener.onClientError(node, error);
		}
		catch (RuntimeException ex) {
			logger.warn("RedlockListener.onClientError threw; ignored", ex);
		}
	}

	void reportLockLost(LockHandle lock, RedlockException cause) {
		try {
			this.listener.onLockLost(lock, cause);
		}
		catch (RuntimeException ex) {
			logger.warn("RedlockListener.onLockLost threw; ignored", ex);
		}
	}

	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		for (CompletableFuture<Lock> acquisition : this.pending) {
			acquisition.completeExceptionally(new RedlockException("The Redlock was closed while acquiring a lock"));
		}
		this.scheduler.shutdownNow();
		this.timer.stop();
		for (RedisNode node : this.nodes) {
			try {
				node.close();
			}
			catch (RuntimeException ex) {
				logger.warn("Could not close the connection to {}", node.name(), ex);
			}
		}
		if (this.ownedResources != null) {
			this.ownedResources.shutdown();
		}
	}

}
