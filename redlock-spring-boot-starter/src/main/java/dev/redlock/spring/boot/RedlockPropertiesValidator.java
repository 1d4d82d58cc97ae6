package dev.redlock.spring.boot;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.lettuce.core.RedisURI;

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
		if (properties.getKeyPrefix() == null) {
			throw invalid("key-prefix", "null", "must not be null; leave it empty for no prefix");
		}
	}

	private static void validateNodes(List<String> nodes) {
		Map<String, Integer> seen = new HashMap<>();
		for (int i = 0; i < nodes.size(); i++) {
			String property = "nodes[" + i + "]";
			String uri = nodes.get(i);
			if (uri == null || uri.isBlank()) {
				throw invalid(property, String.valueOf(uri), "must be a Redis URI such as redis://host:6379");
			}
			RedisURI parsed = parse(property, uri.strip());
			Integer previous = seen.putIfAbsent(identity(parsed), i);
			if (previous != null) {
				throw invalid(property, maskCredentials(uri), "is the same node as " + PREFIX + "nodes[" + previous
						+ "]; every node must be listed once, or it would vote twice");
			}
		}
	}

	private static RedisURI parse(String property, String uri) {
		try {
			if (uri.startsWith("redis://") || uri.startsWith("rediss://")) {
				// Lettuce reads "host:notaport" as a host name; a strict parse catches that.
				if (new URI(uri).getHost() == null) {
					throw new IllegalArgumentException("the host or port is malformed");
				}
			}
			return RedisURI.create(uri);
		}
		catch (URISyntaxException | IllegalArgumentException ex) {
			String why = (ex instanceof URISyntaxException syntax) ? syntax.getReason() : ex.getMessage();
			throw invalid(property, maskCredentials(uri), "is not a valid Redis URI (" + maskCredentials(why)
					+ "); use redis://[user:password@]host:port[/database], rediss:// for TLS or "
					+ "redis-sentinel://[password@]host:port[,host:port]/[database]#master-id");
		}
	}

	/** What makes two URIs the same node, whatever credentials or options they carry. */
	private static String identity(RedisURI uri) {
		if (!uri.getSentinels().isEmpty()) {
			return "sentinel:" + uri.getSentinels().stream()
				.map((sentinel) -> sentinel.getHost().toLowerCase() + ":" + sentinel.getPort())
				.sorted()
				.collect(Collectors.joining(",")) + "#" + uri.getSentinelMasterId() + "/" + uri.getDatabase();
		}
		if (uri.getSocket() != null) {
			return "socket:" + uri.getSocket() + "/" + uri.getDatabase();
		}
		return uri.getHost().toLowerCase() + ":" + uri.getPort() + "/" + uri.getDatabase();
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

	/**
	 * Hides everything between {@code //} and the last {@code @}: passwords may themselves
	 * contain characters that a stricter pattern would stop at.
	 */
	static String maskCredentials(String text) {
		if (text == null) {
			return null;
		}
		int at = text.lastIndexOf('@');
		if (at < 0) {
			return text;
		}
		int scheme = text.indexOf("//");
		int start = (scheme >= 0 && scheme < at) ? scheme + 2 : 0;
		return text.substring(0, start) + "****" + text.substring(at);
	}

}
