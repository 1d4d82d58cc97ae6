package dev.redlock.internal;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.redlock.Lock;
import dev.redlock.LockHandle;
import dev.redlock.NodeVote;
import dev.redlock.NodeVote.Vote;
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

	private static final long CLOSE_TIMEOUT_SECONDS = 10;

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
		Cluster cluster = new Cluster(nodes, settings, listener, owned);
		cluster.awaitFirstConnections(connectTimeout(settings));
		return cluster;
	}

	/**
	 * Gives the first connections a moment, so the first operation does not spend its
	 * per-node timeout on a TCP and protocol handshake. A node that is down only costs its
	 * refusal (or the bound, if it does not answer at all): building never fails on it.
	 */
	private void awaitFirstConnections(Duration bound) {
		try {
			CompletableFuture.allOf(this.nodes.stream().map(RedisNode::connected).toArray(CompletableFuture[]::new))
				.get(bound.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			logger.debug("Not every node is connected yet: {}", ex.toString());
		}
	}

	private static Duration connectTimeout(Settings settings) {
		Duration twice = settings.commandTimeout().multipliedBy(2);
		return (twice.toMillis() < 500) ? Duration.ofMillis(500) : twice;
	}

	/**
	 * Commands to a disconnected node fail at once instead of queueing until it is back, so
	 * a down node never holds an operation longer than it takes to say no.
	 */
	private static ClientOptions defaultClientOptions(Settings settings) {
		return ClientOptions.builder()
			.autoReconnect(true)
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.socketOptions(SocketOptions.builder()
				.connectTimeout(connectTimeout(settings))
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

	/** PING to every node at once; decided when all answered or timed out. */
	public CompletableFuture<List<NodeVote>> ping() {
		return fanOut(false, (node) -> node.ping()).decided().thenApply(Tally::votes);
	}

	/** Sent to every node, also those that did not grant: a late SET may still land there. */
	Tally releaseRound(String[] keys, String token, boolean notifyWaiters) {
		String channel = (notifyWaiters && this.settings.notifications()) ? this.settings.notificationChannel() : "";
		return fanOut(false, null, (node, index) -> node.release(keys, token, channel));
	}

	/**
	 * Undoes a failed acquisition round: releases on every node where the keys may have been
	 * set, that is every node but those that answered that they were not. A refusal is final
	 * (the token is new, so nothing else sets it), while a grant, a timeout or a failed call
	 * may have left a key, or may still: a late SET is undone too, since each node's
	 * connection runs commands in order. Under contention most nodes refuse, and skipping
	 * them spares a losing attempt a script on each of them.
	 * <p>
	 * Only the nodes that granted are waited for. One that did not answer the attempt is sent
	 * the release all the same, but waiting for it again would make every retry under a
	 * partition cost one more command timeout, and a failing call end a timeout after its
	 * wait bound.
	 * @return completes when the nodes that granted have answered, or timed out
	 */
	CompletableFuture<?> undoRound(String[] keys, String token, Tally failed) {
		List<NodeVote> votes = failed.votes();
		if (votes.stream().allMatch((vote) -> vote.vote() == Vote.REFUSED)) {
			return CompletableFuture.completedFuture(null);
		}
		boolean[] granted = new boolean[votes.size()];
		for (int i = 0; i < granted.length; i++) {
			granted[i] = votes.get(i).vote() == Vote.GRANTED;
		}
		return fanOut(false, granted,
				(node, index) -> (votes.get(index).vote() == Vote.REFUSED) ? null : node.release(keys, token, ""))
			.decided();
	}

	private Tally fanOut(boolean decideOnQuorum, Function<RedisNode, CompletableFuture<Boolean>> command) {
		return fanOut(decideOnQuorum, null, (node, index) -> command.apply(node));
	}

	/**
	 * One command to every node in parallel: one round trip, not one per node. A node the
	 * command is {@code null} for is left out, and counts as having answered no.
	 * @param awaited the nodes whose answers decide the round, or {@code null} for all
	 */
	private Tally fanOut(boolean decideOnQuorum, boolean[] awaited,
			BiFunction<RedisNode, Integer, CompletableFuture<Boolean>> command) {
		Tally tally = new Tally(this, System.nanoTime(), decideOnQuorum, awaited);
		for (int i = 0; i < this.nodes.size(); i++) {
			int node = i;
			try {
				CompletableFuture<Boolean> reply = command.apply(this.nodes.get(i), i);
				if (reply == null) {
					tally.record(node, false, null);
				}
				else {
					reply.whenComplete((ok, ex) -> tally.record(node, ok, ex));
				}
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
		List<CompletableFuture<Void>> closing = new ArrayList<>();
		for (RedisNode node : this.nodes) {
			closing.add(node.closeAsync().exceptionally((ex) -> {
				logger.warn("Could not close the connections to {}", node.name(), ex);
				return null;
			}));
		}
		// Closing must never hang an application's shutdown on a node that does not answer.
		try {
			CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			logger.warn("Closing the Redlock's connections did not complete within {} s; continuing", CLOSE_TIMEOUT_SECONDS, ex);
		}
		if (this.ownedResources != null) {
			// Its threads wind down on their own; nothing is gained by waiting for them.
			this.ownedResources.shutdown(0, 2, TimeUnit.SECONDS);
		}
	}

}
