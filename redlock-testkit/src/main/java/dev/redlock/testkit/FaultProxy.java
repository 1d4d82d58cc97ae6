package dev.redlock.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP proxy in front of one node, through which a test injects network faults while
 * clients keep using it: added {@link #latency(Duration) latency}, {@link #dropConnections()
 * dropped connections} and a {@link #blackhole() blackhole}, all undone by {@link #heal()}.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start(); FaultProxy proxy = FaultProxy.to(redis)) {
 *     connect(proxy.uri());          // not redis.uri()
 *     proxy.blackhole();             // commands now time out
 *     proxy.heal();                  // and are answered again
 * }
 * }</pre>
 *
 * <p>The faults model what a network does, not what a process does (for that, see
 * {@link RedisServer#kill()} and {@link RedisServer#pause()}):
 * <ul>
 *   <li>latency delays every chunk of bytes, in each direction, keeping their order: a request
 *       and its answer take twice the latency longer;</li>
 *   <li>a blackhole is a partition that TCP outlives: connections stay open, nothing gets
 *       through, new connections are accepted but never reach the node; on {@link #heal()} the
 *       held bytes are delivered late, as retransmissions would be;</li>
 *   <li>dropping connections closes every current one at both ends, discarding the bytes in
 *       flight, as a reset or a crashed middlebox would; new connections work as before.</li>
 * </ul>
 *
 * <p>Each connection is served by four daemon threads (a reader and a writer per direction), so
 * a delayed or held direction never stalls the other. Methods are thread-safe; {@link #close()}
 * ends every thread.
 */
public final class FaultProxy implements AutoCloseable {

	private static final String HOST = "127.0.0.1";

	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

	private final String targetHost;

	private final int targetPort;

	private final ServerSocket listener;

	private final String name;

	private final Set<ProxyLink> links = ConcurrentHashMap.newKeySet();

	private final ProxyThreads threads = new ProxyThreads();

	private final FaultSwitches switches = new FaultSwitches();

	private FaultProxy(String targetHost, int targetPort, ServerSocket listener) {
		this.targetHost = targetHost;
		this.targetPort = targetPort;
		this.listener = listener;
		this.name = "fault-proxy-" + listener.getLocalPort();
	}

	/**
	 * Starts a proxy in front of {@code server}. It forwards to the server's port, so it keeps
	 * working across {@link RedisServer#restart()}.
	 *
	 * @param server the node to forward to
	 * @return the running proxy
	 */
	public static FaultProxy to(RedisServer server) {
		return start(server.host(), server.port());
	}

	/**
	 * Starts a proxy on a free loopback port that forwards every connection to
	 * {@code targetHost:targetPort}.
	 *
	 * @param targetHost where to forward, normally {@code 127.0.0.1}
	 * @param targetPort the port to forward to
	 * @return the running proxy
	 */
	public static FaultProxy start(String targetHost, int targetPort) {
		Objects.requireNonNull(targetHost, "targetHost");
		if (targetPort < 1 || targetPort > 65_535) {
			throw new IllegalArgumentException("Port out of range: " + targetPort);
		}
		ServerSocket listener;
		try {
			listener = new ServerSocket();
			listener.bind(new InetSocketAddress(HOST, 0));
		}
		catch (IOException e) {
			throw new UncheckedIOException("Could not listen on " + HOST, e);
		}
		FaultProxy proxy = new FaultProxy(targetHost, targetPort, listener);
		proxy.threads.spawn(proxy.name + "-accept", new AcceptLoop(listener, proxy.name, targetHost, targetPort,
				proxy.switches, proxy.threads, proxy.links));
		return proxy;
	}

	/** {@return the address the proxy listens on: always {@code "127.0.0.1"}} */
	public String host() {
		return HOST;
	}

	/** {@return the port clients connect to instead of the node's} */
	public int port() {
		return listener.getLocalPort();
	}

	/** {@return the URI clients connect to, {@code redis://127.0.0.1:<port>}, without any password} */
	public String uri() {
		return "redis://" + HOST + ":" + port();
	}

	/**
	 * Delays every chunk of bytes in each direction by {@code oneWay} from now on; bytes already
	 * under way keep their delay. Zero removes the latency.
	 *
	 * @param oneWay the delay per direction, zero or positive
	 * @return this proxy
	 */
	public FaultProxy latency(Duration oneWay) {
		if (oneWay == null || oneWay.isNegative()) {
			throw new IllegalArgumentException("Latency must be zero or positive, but was " + oneWay);
		}
		switches.latencyNanos(oneWay.toNanos());
		return this;
	}

	/** {@return the latency added to each direction} */
	public Duration latency() {
		return Duration.ofNanos(switches.latencyNanos());
	}

	/**
	 * Stops forwarding: current connections stay open but carry nothing further, and new ones are
	 * accepted but not forwarded. Does nothing if already blackholed.
	 *
	 * @return this proxy
	 */
	public FaultProxy blackhole() {
		switches.blackhole();
		return this;
	}

	/** {@return whether the proxy is blackholed} */
	public boolean isBlackholed() {
		return switches.isBlackholed();
	}

	/**
	 * Closes every current connection at both ends, discarding what was in flight. Clients see a
	 * closed connection; new connections are forwarded as before (or held, while blackholed).
	 *
	 * @return how many connections were dropped
	 */
	public int dropConnections() {
		List<ProxyLink> dropped = new ArrayList<>(links);
		dropped.forEach(ProxyLink::close);
		return dropped.size();
	}

	/**
	 * Undoes every fault: removes the latency and ends the blackhole, delivering the bytes it
	 * held. Dropped connections stay dropped.
	 */
	public void heal() {
		switches.heal();
	}

	/** {@return how many client connections are open through the proxy} */
	public int connectionCount() {
		return links.size();
	}

	/**
	 * Stops listening, closes every connection and waits (for a few seconds at most) for the
	 * proxy's threads to end. Calling it again does nothing.
	 */
	@Override
	public void close() {
		if (!switches.close()) {
			return;
		}
		ProxyLink.closeQuietly(listener);
		dropConnections();
		threads.interruptAndJoin(CLOSE_TIMEOUT);
	}

	/** Shows the addresses and the faults in force. */
	@Override
	public String toString() {
		String faults = (isBlackholed() ? "blackholed, " : "") + "latency " + latency().toMillis() + " ms";
		return "FaultProxy[" + HOST + ":" + port() + " -> " + targetHost + ":" + targetPort + ", " + faults + "]";
	}

	/** {@return the names of the proxy's threads still alive; empty once closed} */
	List<String> liveThreadNames() {
		return threads.liveNames();
	}
}
