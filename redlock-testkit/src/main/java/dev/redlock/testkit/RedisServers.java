package dev.redlock.testkit;

import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A fixed group of independent {@link RedisServer}s, as many as a Redlock quorum needs, each a
 * master of its own on its own port.
 *
 * <pre>{@code
 * try (RedisServers redis = RedisServers.start(3)) {
 *     Redlock redlock = Redlock.builder().nodes(redis.uris()).build();
 *     redis.get(0).kill();
 *     ...
 * }
 * }</pre>
 */
public final class RedisServers implements AutoCloseable, Iterable<RedisServer> {

	private final List<RedisServer> servers;

	private RedisServers(List<RedisServer> servers) {
		this.servers = List.copyOf(servers);
	}

	/**
	 * Starts {@code n} servers on free ports.
	 *
	 * @param n how many, at least 1
	 * @return the running servers
	 * @throws IllegalStateException if one does not start; none is left running then
	 */
	public static RedisServers start(int n) {
		return start(n, new String[0]);
	}

	/**
	 * Starts {@code n} servers on free ports, each with the same extra {@code redis-server}
	 * arguments (see {@link RedisServer.Builder#args(String...)}).
	 *
	 * @param n how many, at least 1
	 * @param extraArgs arguments for every server, for example {@code "--requirepass", "secret"}
	 * @return the running servers
	 * @throws IllegalStateException if one does not start; none is left running then
	 */
	public static RedisServers start(int n, String... extraArgs) {
		if (n < 1) {
			throw new IllegalArgumentException("Need at least one server, got " + n);
		}
		String[] args = extraArgs.clone();
		return new RedisServers(ParallelStarts.start(n, index -> RedisServer.builder().args(args).start()));
	}

	/**
	 * Returns the server at {@code index}, in start order.
	 *
	 * @param index from 0 to {@code size() - 1}
	 * @return the server
	 */
	public RedisServer get(int index) {
		return servers.get(index);
	}

	/** {@return the number of servers} */
	public int size() {
		return servers.size();
	}

	/** {@return each server's {@link RedisServer#uri()}, in order; they stay valid across restarts} */
	public List<String> uris() {
		return servers.stream().map(RedisServer::uri).toList();
	}

	/** {@return the servers, in order} */
	public Stream<RedisServer> stream() {
		return servers.stream();
	}

	@Override
	public Iterator<RedisServer> iterator() {
		return servers.iterator();
	}

	/**
	 * Empties every server that can answer, that is running and not paused.
	 *
	 * @throws RuntimeException the first failure, with the others suppressed, after trying all
	 */
	public void flushAll() {
		forEachServer(server -> {
			if (server.isRunning() && !server.isPaused()) {
				server.flushAll();
			}
		});
	}

	/**
	 * Undoes every injected failure: resumes paused servers and restarts stopped or killed ones
	 * on their ports. Restarted servers are empty.
	 *
	 * @throws RuntimeException the first failure, with the others suppressed, after trying all
	 */
	public void healAll() {
		forEachServer(server -> {
			if (server.isPaused()) {
				server.resume();
			}
			if (!server.isRunning()) {
				server.restart();
			}
		});
	}

	/**
	 * Closes every server, even if closing one fails.
	 *
	 * @throws RuntimeException the first failure, with the others suppressed
	 */
	@Override
	public void close() {
		forEachServer(RedisServer::close);
	}

	@Override
	public String toString() {
		return "RedisServers" + servers;
	}

	private void forEachServer(Consumer<RedisServer> action) {
		Closing.forEach(servers, action);
	}
}
