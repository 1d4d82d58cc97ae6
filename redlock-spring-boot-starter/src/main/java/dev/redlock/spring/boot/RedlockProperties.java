package dev.redlock.spring.boot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import dev.redlock.spring.OnLost;

import org.springframework.core.Ordered;

/**
 * Configuration of Redlock, bound to {@code redlock.*}. Checked once bound: a bad value fails
 * the start with a {@link RedlockConfigurationException} naming the property.
 */
@ConfigurationProperties("redlock")
public class RedlockProperties implements InitializingBean {

	/**
	 * Whether to configure Redlock and the @DistributedLock aspect.
	 */
	private boolean enabled = true;

	/**
	 * Redis masters that vote on every lock, as Redis URIs (redis://, rediss://,
	 * redis-sentinel://, with optional user:password@ and /database). Use 3 or 5 independent
	 * masters, not replicas of each other; redis://localhost:6379 when none are listed.
	 */
	private List<String> nodes = new ArrayList<>();

	/**
	 * Fraction of the ttl set aside for clock drift between nodes, in [0, 1).
	 */
	private double driftFactor = 0.01;

	/**
	 * Time-to-live of a lock when @DistributedLock sets none; automatic extension keeps a
	 * lock alive past it while its method runs.
	 */
	private Duration defaultTtl = Duration.ofSeconds(30);

	/**
	 * How long a @DistributedLock method waits for its lock when the annotation sets no wait
	 * time; 0 makes exactly one attempt.
	 */
	private Duration defaultWaitTime = Duration.ofSeconds(10);

	/**
	 * Prefix of every Redis key locked by @DistributedLock: the key is the prefix followed
	 * by the evaluated key expression.
	 */
	private String keyPrefix = "locks:";

	/**
	 * How long one node may take to answer before its vote counts as failed. Keep it small
	 * against the ttl, so a dead or paused node costs at most this.
	 */
	private Duration commandTimeout = Duration.ofMillis(500);

	/**
	 * How long before expiry an automatically extended lock is extended.
	 */
	private Duration automaticExtensionThreshold = Duration.ofMillis(500);

	/**
	 * Whether a release publishes a notification that wakes waiters at once, instead of
	 * waiters only polling every retry delay.
	 */
	private boolean releaseNotifications = true;

	/**
	 * Replicas that must acknowledge a grant (WAIT) before a node that can fail over (a
	 * Sentinel group, a Redis Cluster) counts it; 0 for none. Closes most of the window in
	 * which a failover loses a lock on that node, at a round trip per acquisition.
	 */
	private int replicaAcknowledgements;

	/**
	 * What a @DistributedLock method or DistributedLockTemplate call does when its lock is lost
	 * while it runs and it sets no policy of its own: log (and publish the event) only, or
	 * interrupt its thread and cancel its asynchronous or reactive result.
	 */
	private OnLost onLost = OnLost.LOG;

	private final Retry retry = new Retry();

	private final Ssl ssl = new Ssl();

	private final Aspect aspect = new Aspect();

	private final Transaction transaction = new Transaction();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public List<String> getNodes() {
		return this.nodes;
	}

	public void setNodes(List<String> nodes) {
		this.nodes = nodes;
	}

	public double getDriftFactor() {
		return this.driftFactor;
	}

	public void setDriftFactor(double driftFactor) {
		this.driftFactor = driftFactor;
	}

	public Duration getDefaultTtl() {
		return this.defaultTtl;
	}

	public void setDefaultTtl(Duration defaultTtl) {
		this.defaultTtl = defaultTtl;
	}

	public Duration getDefaultWaitTime() {
		return this.defaultWaitTime;
	}

	public void setDefaultWaitTime(Duration defaultWaitTime) {
		this.defaultWaitTime = defaultWaitTime;
	}

	public String getKeyPrefix() {
		return this.keyPrefix;
	}

	public void setKeyPrefix(String keyPrefix) {
		this.keyPrefix = keyPrefix;
	}

	public Duration getCommandTimeout() {
		return this.commandTimeout;
	}

	public void setCommandTimeout(Duration commandTimeout) {
		this.commandTimeout = commandTimeout;
	}

	public Duration getAutomaticExtensionThreshold() {
		return this.automaticExtensionThreshold;
	}

	public void setAutomaticExtensionThreshold(Duration automaticExtensionThreshold) {
		this.automaticExtensionThreshold = automaticExtensionThreshold;
	}

	public boolean isReleaseNotifications() {
		return this.releaseNotifications;
	}

	public void setReleaseNotifications(boolean releaseNotifications) {
		this.releaseNotifications = releaseNotifications;
	}

	public int getReplicaAcknowledgements() {
		return this.replicaAcknowledgements;
	}

	public void setReplicaAcknowledgements(int replicaAcknowledgements) {
		this.replicaAcknowledgements = replicaAcknowledgements;
	}

	public OnLost getOnLost() {
		return this.onLost;
	}

	public void setOnLost(OnLost onLost) {
		this.onLost = onLost;
	}

	public Transaction getTransaction() {
		return this.transaction;
	}

	public Ssl getSsl() {
		return this.ssl;
	}

	public Retry getRetry() {
		return this.retry;
	}

	public Aspect getAspect() {
		return this.aspect;
	}

	@Override
	public void afterPropertiesSet() {
		RedlockPropertiesValidator.validate(this);
	}

	/**
	 * How waiting acquisitions retry.
	 */
	public static class Retry {

		/**
		 * Delay between attempts of a waiting acquisition when no release notification
		 * wakes it first.
		 */
		private Duration delay = Duration.ofMillis(200);

		/**
		 * Up to this much random time is added to every retry delay, so that waiters do not
		 * retry in lockstep.
		 */
		private Duration jitter = Duration.ofMillis(100);

		public Duration getDelay() {
			return this.delay;
		}

		public void setDelay(Duration delay) {
			this.delay = delay;
		}

		public Duration getJitter() {
			return this.jitter;
		}

		public void setJitter(Duration jitter) {
			this.jitter = jitter;
		}

	}

	/**
	 * Settings of the @DistributedLock advisor.
	 */
	public static class Aspect {

		/**
		 * Order of the @DistributedLock advisor. The default runs it outside @Transactional,
		 * so a lock is released only after the transaction commits.
		 */
		private int order = Ordered.LOWEST_PRECEDENCE - 100;

		public int getOrder() {
			return this.order;
		}

		public void setOrder(int order) {
			this.order = order;
		}

	}

	/**
	 * How locks and Spring-managed transactions work together.
	 */
	public static class Transaction {

		/**
		 * Whether a @DistributedLock method called inside a transaction that began outside it
		 * keeps its lock until that transaction completes, so that its commit is protected too.
		 */
		private boolean holdUntilCompletion = true;

		/**
		 * Whether the check of a lock just before a transaction under it commits asks a quorum
		 * of the nodes, not only the lock's local state; costs one round trip per commit.
		 */
		private boolean checkNodes = false;

		public boolean isHoldUntilCompletion() {
			return this.holdUntilCompletion;
		}

		public void setHoldUntilCompletion(boolean holdUntilCompletion) {
			this.holdUntilCompletion = holdUntilCompletion;
		}

		public boolean isCheckNodes() {
			return this.checkNodes;
		}

		public void setCheckNodes(boolean checkNodes) {
			this.checkNodes = checkNodes;
		}

	}

	/**
	 * TLS of rediss:// nodes.
	 */
	public static class Ssl {

		/**
		 * Name of the SSL bundle (spring.ssl.bundle.*) whose trust and key material the
		 * clients of rediss:// nodes use.
		 */
		private String bundle;

		public String getBundle() {
			return this.bundle;
		}

		public void setBundle(String bundle) {
			this.bundle = bundle;
		}

	}

}
