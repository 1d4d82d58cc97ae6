package dev.redlock;

import java.util.ArrayList;
import java.util.List;

import dev.redlock.testkit.RedisServersExtension;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The Redlocks one test opens, and its own view of the nodes, all closed after the test
 * whatever happened in it. The view is opened before the test, so that its client's start-up
 * never lands in the middle of what the test measures. Register it on an instance field:
 *
 * <pre>{@code
 * @RegisterExtension
 * final OpenedRedlocks opened = new OpenedRedlocks(redis);
 * }</pre>
 */
final class OpenedRedlocks implements BeforeEachCallback, AfterEachCallback {

	private final RedisServersExtension redis;

	private final List<Redlock> redlocks = new ArrayList<>();

	private NodeInspector nodes;

	OpenedRedlocks(RedisServersExtension redis) {
		this.redis = redis;
	}

	/** {@return the Redlock {@code builder} builds, closed after the test} */
	Redlock open(RedlockBuilder builder) {
		Redlock redlock = builder.build();
		this.redlocks.add(redlock);
		return redlock;
	}

	/** {@return a builder already given the test's nodes} */
	RedlockBuilder onTheNodes() {
		return Redlock.builder().nodes(this.redis.uris());
	}

	/** {@return the test's own connections to the nodes} */
	NodeInspector nodes() {
		return this.nodes;
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		this.nodes = new NodeInspector(this.redis.servers());
	}

	@Override
	public void afterEach(ExtensionContext context) {
		RuntimeException failure = null;
		for (Redlock redlock : this.redlocks) {
			try {
				redlock.close();
			}
			catch (RuntimeException ex) {
				failure = (failure == null) ? ex : failure;
			}
		}
		if (this.nodes != null) {
			this.nodes.close();
		}
		if (failure != null) {
			throw failure;
		}
	}

}
