package dev.redlock.spring.boot;

import java.util.ArrayList;
import java.util.List;

import dev.redlock.testkit.RedisServersExtension;

/** The {@code redlock.nodes} properties of a test's nodes, with a command timeout a busy machine keeps. */
final class TestNodes {

	private TestNodes() {
	}

	static String[] of(RedisServersExtension redis) {
		List<String> properties = new ArrayList<>();
		for (int i = 0; i < redis.size(); i++) {
			properties.add("redlock.nodes[" + i + "]=" + redis.uris().get(i));
		}
		properties.add("redlock.command-timeout=1s");
		return properties.toArray(String[]::new);
	}

}
