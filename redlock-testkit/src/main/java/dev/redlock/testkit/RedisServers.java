package dev.redlock.testkit;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
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
		ExecutorService starter = Executors.newFixedThreadPool(n, daemonThreads());
		try {
			// In parallel: each start mostly waits for its process to come up.
			List<CompletableFuture<RedisServer>> starts = new ArrayList<>();
			for (int i = 0; i < n; i++) {
				starts.add(CompletableFuture.supplyAsync(() -> RedisServer.builder().args(args).start(), starter));
			}
			List<RedisServer> started = new ArrayList<>();
			Throwable failure = null;
			for (CompletableFuture<RedisServer> start : starts) {
				try {
					// join() cannot be interrupted, so no started server is ever lost track of.
					started.add(start.join());
				}
				catch (CompletionException e) {
					if (failure == null) {
						failure = e.getCause();
					}
					else {
						failure.addSuppressed(e.getCause());
					}
				}
			}
			if (failure != null) {
				closeAll(started, failure);
				throw asUnchecked(failure);
			}
			return new RedisServers(started);
		}
		finally {
			starter.shutdown();
		}
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
		RuntimeException failure = null;
		for (RedisServer server : servers) {
			try {
				action.accept(server);
			}
			catch (RuntimeException e) {
				if (failure == null) {
					failure = e;
				}
				else {
					failure.addSuppressed(e);
				}
			}
		}
		if (failure != null) {
			throw failure;
		}
	}

	private static void closeAll(List<RedisServer> servers, Throwable failure) {
		for (RedisServer server : servers) {
			try {
				server.close();
			}
			catch (RuntimeException e) {
				failure.addSuppressed(e);
			}
		}
	}

	/** A supplier cannot throw checked exceptions, so the cause of a failed start is unchecked. */
	private static RuntimeException asUnchecked(Throwable failure) {
		if (failure instanceof Error error) {
			throw error;
		}
		return (RuntimeException) failure;
	}

	private static ThreadFactory daemonThreads() {
		AtomicInteger count = new AtomicInteger();
		return task -> {
			Thread thread = new Thread(task, "redlock-testkit-start-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}
}
