package dev.redlock.spring.boot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.redlock.spring.OnLost;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

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

	// The groups are top-level classes: the configuration processor describes their properties
	// only when they are marked nested, as it would find nested classes of this one on its own.

	@NestedConfigurationProperty
	private final RedlockRetryProperties retry = new RedlockRetryProperties();

	@NestedConfigurationProperty
	private final RedlockSslProperties ssl = new RedlockSslProperties();

	@NestedConfigurationProperty
	private final RedlockAspectProperties aspect = new RedlockAspectProperties();

	@NestedConfigurationProperty
	private final RedlockTransactionProperties transaction = new RedlockTransactionProperties();

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

	public RedlockTransactionProperties getTransaction() {
		return this.transaction;
	}

	public RedlockSslProperties getSsl() {
		return this.ssl;
	}

	public RedlockRetryProperties getRetry() {
		return this.retry;
	}

	public RedlockAspectProperties getAspect() {
		return this.aspect;
	}

	@Override
	public void afterPropertiesSet() {
		RedlockPropertiesValidator.validate(this);
	}

}
