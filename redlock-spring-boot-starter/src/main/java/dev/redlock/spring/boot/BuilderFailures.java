package dev.redlock.spring.boot;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.redlock.NodeUris;

/**
 * Turns what the Redlock builder refuses into a {@link RedlockConfigurationException} naming
 * the property: a node, or an option it bounds.
 */
final class BuilderFailures {

	private static final Pattern NODE_INDEX = Pattern.compile("nodes\\[(\\d+)\\]");

	private BuilderFailures() {
	}

	/** Names the property the builder complains about: a node, or an option it bounds. */
	static RedlockConfigurationException builderFailure(RedlockProperties properties, List<String> nodes,
			String problem) {
		String detail = problem.substring(problem.indexOf(':') + 1).strip();
		for (Map.Entry<String, BoundOption> option : builderOptions(properties).entrySet()) {
			if (detail.startsWith(option.getKey() + " ")) {
				BoundOption bound = option.getValue();
				return new RedlockConfigurationException(bound.property(), String.valueOf(bound.value()), detail);
			}
		}
		Matcher node = NODE_INDEX.matcher(problem);
		if (node.find()) {
			int index = Integer.parseInt(node.group(1));
			if (index < nodes.size()) {
				return new RedlockConfigurationException("redlock.nodes[" + index + "]",
						NodeUris.mask(nodes.get(index)), problem);
			}
		}
		// Each node on its own: masking the joined list would hide all but the last node.
		return new RedlockConfigurationException("redlock.nodes",
				String.join(",", nodes.stream().map(NodeUris::mask).toList()), problem);
	}

	/** The builder's option names, with the property and value each comes from. */
	private static Map<String, BoundOption> builderOptions(RedlockProperties properties) {
		return Map.of("driftFactor", new BoundOption("redlock.drift-factor", properties.getDriftFactor()),
				"retryDelay", new BoundOption("redlock.retry.delay", properties.getRetry().getDelay()),
				"retryJitter", new BoundOption("redlock.retry.jitter", properties.getRetry().getJitter()),
				"commandTimeout", new BoundOption("redlock.command-timeout", properties.getCommandTimeout()),
				"automaticExtensionThreshold", new BoundOption("redlock.automatic-extension-threshold",
						properties.getAutomaticExtensionThreshold()));
	}

	/** A builder option as bound from a property. */
	private record BoundOption(String property, Object value) {
	}

}
