package dev.redlock.spring.boot;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.redlock.NodeUris;

/**
 * Checks bound {@link RedlockProperties} before anything connects, so that a mistake fails the
 * start with the property's name instead of surfacing later as a confusing lock failure.
 */
final class RedlockPropertiesValidator {

	private static final String PREFIX = "redlock.";

	private RedlockPropertiesValidator() {
	}

	/**
	 * @throws RedlockConfigurationException for the first invalid property
	 */
	static void validate(RedlockProperties properties) {
		validateNodes(properties.getNodes());
		double driftFactor = properties.getDriftFactor();
		if (!(driftFactor >= 0 && driftFactor < 1)) {
			throw invalid("drift-factor", String.valueOf(driftFactor),
					"must be at least 0 and less than 1; 0.01 sets aside 1% of the ttl for clock drift");
		}
		requirePositive("default-ttl", properties.getDefaultTtl());
		requireNotNegative("default-wait-time", properties.getDefaultWaitTime(), "zero makes exactly one attempt");
		requireNotNegative("retry.delay", properties.getRetry().getDelay(), "zero retries at once");
		requireNotNegative("retry.jitter", properties.getRetry().getJitter(), "zero adds no random delay");
		requirePositive("command-timeout", properties.getCommandTimeout());
		requirePositive("automatic-extension-threshold", properties.getAutomaticExtensionThreshold());
		if (properties.getReplicaAcknowledgements() < 0) {
			throw invalid("replica-acknowledgements", String.valueOf(properties.getReplicaAcknowledgements()),
					"must be 0 (no WAIT) or a number of replicas");
		}
		if (properties.getKeyPrefix() == null) {
			throw invalid("key-prefix", "null", "must not be null; leave it empty for no prefix");
		}
	}

	/** Parses and compares nodes exactly as the core builder will, naming the property. */
	private static void validateNodes(List<String> nodes) {
		Map<String, Integer> seen = new HashMap<>();
		for (int i = 0; i < nodes.size(); i++) {
			String property = "nodes[" + i + "]";
			String uri = nodes.get(i);
			if (uri == null || uri.isBlank()) {
				throw invalid(property, String.valueOf(uri), "must be a Redis URI such as redis://host:6379");
			}
			List<String> servers;
			try {
				servers = NodeUris.servers(uri.strip());
			}
			catch (IllegalArgumentException ex) {
				throw invalid(property, NodeUris.mask(uri), ex.getMessage());
			}
			Integer previous = null;
			for (String server : servers) {
				Integer earlier = seen.putIfAbsent(server, i);
				previous = (earlier != null && earlier != i) ? earlier : previous;
			}
			if (previous != null) {
				throw invalid(property, NodeUris.mask(uri), "is the same node as " + PREFIX + "nodes[" + previous
						+ "] (even as another database or with other credentials); every node must be listed once, "
						+ "or it would vote twice");
			}
		}
	}

	private static void requirePositive(String property, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw invalid(property, String.valueOf(value), "must be a positive duration, such as 500ms or 30s");
		}
	}

	private static void requireNotNegative(String property, Duration value, String zeroMeans) {
		if (value == null || value.isNegative()) {
			throw invalid(property, String.valueOf(value), "must be zero or a positive duration (" + zeroMeans + ")");
		}
	}

	private static RedlockConfigurationException invalid(String property, String value, String reason) {
		return new RedlockConfigurationException(PREFIX + property, value, reason);
	}

}
