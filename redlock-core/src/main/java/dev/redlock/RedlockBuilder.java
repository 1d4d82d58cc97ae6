package dev.redlock;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import dev.redlock.internal.ClientCustomizers;
import dev.redlock.internal.LockService;
import dev.redlock.internal.NodeSpec;
import dev.redlock.internal.OptionChecks;
import dev.redlock.internal.Settings;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.resource.ClientResources;

/**
 * Configures a {@link Redlock}. Defaults follow node-redlock. Every option is checked in
 * {@link #build()}, and a bad value fails there with a message naming the option.
 */
public final class RedlockBuilder {

	private final NodeList nodes = new NodeList();

	private double driftFactor = 0.01;

	private Integer retryCount;

	private Duration retryDelay = Duration.ofMillis(200);

	private Duration retryJitter = Duration.ofMillis(100);

	private Duration waitTime;

	private Duration automaticExtensionThreshold = Duration.ofMillis(500);

	private Duration commandTimeout = Duration.ofMillis(500);

	private boolean releaseNotifications = true;

	private String notificationChannel = "redlock:releases";

	private ClientResources clientResources;

	private Consumer<RedisClient> clientCustomizer = (client) -> {
	};

	private Consumer<RedisClusterClient> clusterClientCustomizer = (client) -> {
	};

	/** Null while none was given: then no event is even dispatched. */
	private RedlockListener listener;

	private Executor callbackExecutor;

	private int replicaAcknowledgements;

	RedlockBuilder() {
	}

	/**
	 * Adds nodes by URI: {@code redis://}, {@code rediss://}, {@code redis-sentinel://}, with
	 * credentials and database, or {@code redis-cluster://} ({@code rediss-cluster://}) for a
	 * whole Redis Cluster given by its seeds. Kinds mix freely; each node is one vote.
	 */
	public RedlockBuilder nodes(List<String> uris) {
		Objects.requireNonNull(uris, "nodes must not be null");
		uris.forEach(this::node);
		return this;
	}

	/** Adds a node by URI; see {@link #nodes(List)}. */
	public RedlockBuilder node(String uri) {
		this.nodes.add(uri);
		return this;
	}

	/** Adds a node. */
	public RedlockBuilder node(RedisURI uri) {
		this.nodes.add(NodeSpec.standalone(Objects.requireNonNull(uri, "a node URI must not be null"), null));
		return this;
	}

	/**
	 * Adds a node reached through a client you manage (node-redlock takes clients too). The
	 * Redlock opens its own connections with it, and closes them, but never shuts it down.
	 */
	public RedlockBuilder node(RedisClient client, RedisURI uri) {
		this.nodes.add(NodeSpec.standalone(Objects.requireNonNull(uri, "uri must not be null"),
				Objects.requireNonNull(client, "client must not be null")));
		return this;
	}

	/**
	 * Adds a whole Redis Cluster reached through a client you manage, as one node: the
	 * Redlock opens its own connections with it, and closes them, but never shuts it down.
	 * Give the client the options you need; a timeout as small as {@link #commandTimeout} keeps
	 * a stale command from being replayed after a reconnect.
	 */
	public RedlockBuilder node(RedisClusterClient client) {
		this.nodes.add(NodeSpec.cluster(Objects.requireNonNull(client, "client must not be null")));
		return this;
	}

	/** Fraction of the ttl set aside for clock drift between nodes, in [0, 1). Default 0.01. */
	public RedlockBuilder driftFactor(double driftFactor) {
		this.driftFactor = driftFactor;
		return this;
	}

	/**
	 * Retries after a failed first attempt: 0 for exactly one attempt, -1 to retry until
	 * acquired (or the {@link #waitTime} runs out). Default 10. An acquisition makes at most
	 * {@code retryCount + 1} attempts in all, whatever started them: the retry delay, or a
	 * release notification that woke it early.
	 */
	public RedlockBuilder retryCount(int retryCount) {
		this.retryCount = retryCount;
		return this;
	}

	/** Delay between retries when no release notification arrives first. Default 200 ms, at most a day. */
	public RedlockBuilder retryDelay(Duration retryDelay) {
		this.retryDelay = retryDelay;
		return this;
	}

	/** Up to this much random time is added to every retry delay. Default 100 ms, at most a day. */
	public RedlockBuilder retryJitter(Duration retryJitter) {
		this.retryJitter = retryJitter;
		return this;
	}

	/**
	 * Bounds the total time an acquisition keeps trying, as an alternative to a retry count:
	 * unless {@link #retryCount} is also set, retries are then unlimited within it. Zero
	 * means one attempt; a bound too long for the clock to reach (centuries) means none. No
	 * attempt starts after the bound, so a failing call returns at most one command timeout
	 * after it.
	 */
	public RedlockBuilder waitTime(Duration waitTime) {
		this.waitTime = waitTime;
		return this;
	}

	/** How long before expiry an automatic extension is sent. Default 500 ms, at most a day. */
	public RedlockBuilder automaticExtensionThreshold(Duration threshold) {
		this.automaticExtensionThreshold = threshold;
		return this;
	}

	/**
	 * How long one node may take to answer before its vote counts as failed, so a dead or
	 * paused node costs at most this. Keep it small against the ttl. Default 500 ms, at most a day.
	 */
	public RedlockBuilder commandTimeout(Duration commandTimeout) {
		this.commandTimeout = commandTimeout;
		return this;
	}

	/**
	 * Whether releases publish a notification and waiters wake on it (default), instead of
	 * only polling every retry delay. With notifications, a single-resource waiter also waits
	 * in the key's waiting line ({@code redlock:line:} keys): a release hands the key to the
	 * waiter that has waited longest, in any process.
	 */
	public RedlockBuilder releaseNotifications(boolean enabled) {
		this.releaseNotifications = enabled;
		return this;
	}

	/**
	 * The prefix of the release notification channels: a release of key {@code k} publishes
	 * on {@code <prefix>:k}, which only Redlocks waiting for {@code k} subscribe to, or, when
	 * it hands {@code k} to the head of its waiting line, on {@code <prefix>:k@<id>}, to that
	 * waiter's Redlock alone. Default {@code redlock:releases}.
	 */
	public RedlockBuilder notificationChannel(String channel) {
		this.notificationChannel = channel;
		return this;
	}

	/**
	 * Makes a node that can fail over (a Sentinel group, a Redis Cluster) count a grant only
	 * once this many of its replicas have acknowledged the lock keys ({@code WAIT}, for at most
	 * half the command timeout); a grant acknowledged by fewer is a failed vote, and is undone. This
	 * closes most of the window in which a failover, with asynchronous replication, loses a
	 * lock on that node, at the cost of a round trip to the replicas on every acquisition. Not
	 * a guarantee: a replica that acknowledged may itself be lost, and WAIT blocks the node's
	 * shared connection while replicas lag. Standalone masters are not affected. Default 0.
	 */
	public RedlockBuilder replicaAcknowledgements(int replicas) {
		this.replicaAcknowledgements = replicas;
		return this;
	}

	/** Lettuce resources (event loops, timers) to share; the Redlock then does not shut them down. */
	public RedlockBuilder clientResources(ClientResources clientResources) {
		this.clientResources = clientResources;
		return this;
	}

	/**
	 * Adjusts every Lettuce client this Redlock creates for a standalone or Sentinel node,
	 * after its defaults are applied. To change client options, start from
	 * {@code client.getOptions().mutate()}: the defaults make commands to a disconnected node
	 * fail at once rather than queue. Clients of cluster nodes are of another type: see
	 * {@link #clusterClientCustomizer(Consumer)}.
	 */
	public RedlockBuilder clientCustomizer(Consumer<RedisClient> customizer) {
		this.clientCustomizer = Objects.requireNonNull(customizer, "clientCustomizer must not be null");
		return this;
	}

	/**
	 * Adjusts every Lettuce client this Redlock creates for a {@code redis-cluster://} or
	 * {@code rediss-cluster://} node, after its defaults are applied: for example the trust
	 * material of a TLS cluster. Start from
	 * {@code ((ClusterClientOptions) client.getOptions()).mutate()} to keep the defaults (failing fast on a disconnected node, adaptive topology refresh).
	 * A {@link RedisClusterClient} given to {@link #node(RedisClusterClient)} is left as it is.
	 */
	public RedlockBuilder clusterClientCustomizer(Consumer<RedisClusterClient> customizer) {
		this.clusterClientCustomizer = Objects.requireNonNull(customizer, "clusterClientCustomizer must not be null");
		return this;
	}

	/**
	 * Where user code runs: listener calls, {@code onLost} callbacks and the continuations of
	 * the {@code Async} results. By default a pool of daemon threads this Redlock owns (and
	 * shuts down on close); never a Netty event loop or timer thread, so a callback that blocks
	 * delays no lock operation. An executor given here is not shut down by the Redlock.
	 */
	public RedlockBuilder callbackExecutor(Executor executor) {
		this.callbackExecutor = Objects.requireNonNull(executor, "callbackExecutor must not be null");
		return this;
	}

	/** Receives client errors, lost locks and nodes that became another server. */
	public RedlockBuilder listener(RedlockListener listener) {
		this.listener = Objects.requireNonNull(listener, "listener must not be null");
		return this;
	}

	/**
	 * Validates the options and connects to the nodes, giving them a moment (four times the
	 * command timeout, at least a second) but never failing on one that is down: it counts as failed
	 * votes until it is back. Entries that reach the same server, however spelled
	 * ({@code localhost} and {@code 127.0.0.1}, a DNS alias, two spellings of an IPv6
	 * address), are refused: the servers are told apart by their {@code run_id}.
	 * @throws IllegalArgumentException naming every invalid option, and both entries of a
	 * server listed twice
	 */
	public Redlock build() {
		List<String> problems = this.nodes.problems();
		OptionChecks.driftFactor(problems, this.driftFactor);
		if (this.retryCount != null) {
			OptionChecks.retryCount(problems, this.retryCount);
		}
		OptionChecks.delay(problems, "retryDelay", this.retryDelay);
		OptionChecks.delay(problems, "retryJitter", this.retryJitter);
		if (this.waitTime != null) {
			OptionChecks.waitTime(problems, this.waitTime);
		}
		OptionChecks.positive(problems, "automaticExtensionThreshold", this.automaticExtensionThreshold);
		OptionChecks.positive(problems, "commandTimeout", this.commandTimeout);
		if (this.replicaAcknowledgements < 0) {
			problems.add("replicaAcknowledgements must be 0 (off) or more, but was " + this.replicaAcknowledgements);
		}
		if (this.releaseNotifications && (this.notificationChannel == null || this.notificationChannel.isBlank())) {
			problems.add("notificationChannel must not be blank while releaseNotifications is on");
		}
		OptionChecks.throwIfAny("Invalid Redlock configuration", problems);
		int retries = (this.retryCount != null) ? this.retryCount : (this.waitTime != null) ? -1 : 10;
		Settings settings = new Settings(this.driftFactor, retries, this.retryDelay, this.retryJitter, this.waitTime,
				this.automaticExtensionThreshold, this.commandTimeout, this.releaseNotifications, this.notificationChannel,
				this.replicaAcknowledgements);
		return new Redlock(LockService.connect(this.nodes.specs(), this.clientResources,
				new ClientCustomizers(this.clientCustomizer, this.clusterClientCustomizer), settings,
				this.listener, this.callbackExecutor));
	}

}
