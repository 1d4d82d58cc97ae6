package dev.redlock.testkit;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit Jupiter extension that gives a test class its own group of real Redis servers.
 *
 * <pre>{@code
 * class LockTest {
 *     @RegisterExtension
 *     static final RedisServersExtension redis = RedisServersExtension.nodes(3);
 *
 *     @Test
 *     void survivesOneNodeDown() {
 *         redis.get(0).kill();               // healed again before the next test
 *         Redlock redlock = Redlock.builder().nodes(redis.uris()).build();
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>On a {@code static} field the servers start once before all tests of the class (nested
 * classes included) and are closed after them; before each test every node is healed (paused
 * ones resumed, stopped or killed ones restarted on their ports) and flushed, so failures injected
 * by one test never leak into the next. On an instance field, each test gets fresh servers,
 * closed after it, unless the class is {@code @TestInstance(PER_CLASS)}: then JUnit treats the
 * field like a static one and the servers are shared the same way.
 *
 * <p>Test methods, constructors and lifecycle methods can also declare a {@link RedisServers}
 * parameter. Tests sharing one registration should not run concurrently with each other, since
 * each one's preparation heals and flushes the servers of all.
 */
public final class RedisServersExtension
		implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback, ParameterResolver {

	private final int nodes;

	private final String[] extraArgs;

	/** Guarded by {@code this}, like {@link #ownerId}. */
	private RedisServers servers;

	/** The unique id of the extension context whose end closes {@link #servers}. */
	private String ownerId;

	private RedisServersExtension(int nodes, String[] extraArgs) {
		this.nodes = nodes;
		this.extraArgs = extraArgs;
	}

	/**
	 * Creates an extension managing {@code n} servers.
	 *
	 * @param n how many servers, at least 1
	 * @param extraArgs extra {@code redis-server} arguments for every server, for example
	 *     {@code "--requirepass", "secret"}
	 * @return the extension, to register with {@code @RegisterExtension}
	 */
	public static RedisServersExtension nodes(int n, String... extraArgs) {
		if (n < 1) {
			throw new IllegalArgumentException("Need at least one server, got " + n);
		}
		return new RedisServersExtension(n, extraArgs.clone());
	}

	/**
	 * Returns the servers.
	 *
	 * @return the running group
	 * @throws IllegalStateException outside the extension's lifetime
	 */
	public synchronized RedisServers servers() {
		if (servers == null) {
			throw new IllegalStateException("The Redis servers are not started: they exist from beforeAll"
					+ " (extension on a static field) or beforeEach (instance field) until the matching after callback");
		}
		return servers;
	}

	/**
	 * Returns one server.
	 *
	 * @param index from 0 to {@code size() - 1}
	 * @return the server
	 */
	public RedisServer get(int index) {
		return servers().get(index);
	}

	/** {@return the servers' URIs, in order} */
	public List<String> uris() {
		return servers().uris();
	}

	/** {@return the number of servers} */
	public int size() {
		return servers().size();
	}

	@Override
	public synchronized void beforeAll(ExtensionContext context) {
		// Also called for each @Nested class, which shares the servers of its enclosing class.
		if (servers == null) {
			startFor(context);
		}
	}

	@Override
	public synchronized void beforeEach(ExtensionContext context) {
		if (servers == null) {
			// An instance field of a per-method test class: JUnit skips beforeAll for it.
			startFor(context);
			return;
		}
		servers.healAll();
		servers.flushAll();
	}

	@Override
	public synchronized void afterEach(ExtensionContext context) {
		closeIfOwnedBy(context);
	}

	@Override
	public synchronized void afterAll(ExtensionContext context) {
		closeIfOwnedBy(context);
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == RedisServers.class;
	}

	@Override
	public synchronized Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		if (servers == null) {
			throw new ParameterResolutionException("Cannot inject RedisServers into "
					+ parameterContext.getDeclaringExecutable() + " before the servers start;"
					+ " register the extension on a static field to inject into constructors or @BeforeAll methods");
		}
		return servers;
	}

	private void startFor(ExtensionContext context) {
		servers = RedisServers.start(nodes, extraArgs);
		ownerId = context.getUniqueId();
	}

	private void closeIfOwnedBy(ExtensionContext context) {
		if (servers == null || !context.getUniqueId().equals(ownerId)) {
			return;
		}
		try {
			servers.close();
		}
		finally {
			servers = null;
			ownerId = null;
		}
	}
}
