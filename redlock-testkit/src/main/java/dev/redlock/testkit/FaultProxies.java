package dev.redlock.testkit;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One {@link FaultProxy} in front of each server of a {@link RedisServers} group, in the same
 * order, so a test can partition any subset of the nodes away from the clients.
 *
 * <pre>{@code
 * try (RedisServers redis = RedisServers.start(5); FaultProxies proxies = FaultProxies.to(redis)) {
 *     Redlock redlock = Redlock.builder().nodes(proxies.uris()).build();
 *     proxies.get(0).blackhole();
 *     proxies.get(1).latency(Duration.ofMillis(200));
 *     ...
 *     proxies.healAll();
 * }
 * }</pre>
 */
public final class FaultProxies implements AutoCloseable, Iterable<FaultProxy> {

	private final List<FaultProxy> proxies;

	private FaultProxies(List<FaultProxy> proxies) {
		this.proxies = List.copyOf(proxies);
	}

	/**
	 * Starts a proxy in front of every server.
	 *
	 * @param servers the nodes
	 * @return the running proxies, one per server, in the servers' order
	 */
	public static FaultProxies to(RedisServers servers) {
		List<FaultProxy> started = new ArrayList<>();
		try {
			for (RedisServer server : servers) {
				started.add(FaultProxy.to(server));
			}
			return new FaultProxies(started);
		}
		catch (RuntimeException | Error e) {
			started.forEach(FaultProxy::close);
			throw e;
		}
	}

	/**
	 * Returns the proxy in front of the server at {@code index}.
	 *
	 * @param index from 0 to {@code size() - 1}
	 * @return the proxy
	 */
	public FaultProxy get(int index) {
		return proxies.get(index);
	}

	/** {@return the number of proxies} */
	public int size() {
		return proxies.size();
	}

	/** {@return each proxy's {@link FaultProxy#uri()}, in order: what clients should connect to} */
	public List<String> uris() {
		return proxies.stream().map(FaultProxy::uri).toList();
	}

	/** {@return the proxies, in order} */
	public Stream<FaultProxy> stream() {
		return proxies.stream();
	}

	@Override
	public Iterator<FaultProxy> iterator() {
		return proxies.iterator();
	}

	/** Undoes the faults of every proxy; see {@link FaultProxy#heal()}. */
	public void healAll() {
		proxies.forEach(FaultProxy::heal);
	}

	/** Closes every proxy. */
	@Override
	public void close() {
		proxies.forEach(FaultProxy::close);
	}

	@Override
	public String toString() {
		return "FaultProxies" + proxies;
	}
}
