package dev.redlock.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
	/** How often a waiting thread rechecks whether it should stop: bounds every wait. */
	private static final long RECHECK_MILLIS = 50;
	private static final int BUFFER_SIZE = 16 * 1024;

	private final String targetHost;
	private final int targetPort;
	private final ServerSocket listener;
	private final String name;
	private final Set<Link> links = ConcurrentHashMap.newKeySet();
	private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
	private final AtomicInteger linkCount = new AtomicInteger();
	/** Guarded by {@code this}; waiters are woken on {@link #heal()} and {@link #close()}. */
	private boolean blackholed;
	private volatile long latencyNanos;
	private volatile boolean closed;

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
		} catch (IOException e) {
			throw new UncheckedIOException("Could not listen on " + HOST, e);
		}
		FaultProxy proxy = new FaultProxy(targetHost, targetPort, listener);
		proxy.spawn(proxy.name + "-accept", proxy::acceptLoop);
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
		latencyNanos = oneWay.toNanos();
		return this;
	}

	/** {@return the latency added to each direction} */
	public Duration latency() {
		return Duration.ofNanos(latencyNanos);
	}

	/**
	 * Stops forwarding: current connections stay open but carry nothing further, and new ones are
	 * accepted but not forwarded. Does nothing if already blackholed.
	 *
	 * @return this proxy
	 */
	public synchronized FaultProxy blackhole() {
		blackholed = true;
		return this;
	}

	/** {@return whether the proxy is blackholed} */
	public synchronized boolean isBlackholed() {
		return blackholed;
	}

	/**
	 * Closes every current connection at both ends, discarding what was in flight. Clients see a
	 * closed connection; new connections are forwarded as before (or held, while blackholed).
	 *
	 * @return how many connections were dropped
	 */
	public int dropConnections() {
		List<Link> dropped = new ArrayList<>(links);
		dropped.forEach(Link::close);
		return dropped.size();
	}

	/**
	 * Undoes every fault: removes the latency and ends the blackhole, delivering the bytes it
	 * held. Dropped connections stay dropped.
	 */
	public void heal() {
		latencyNanos = 0;
		synchronized (this) {
			blackholed = false;
			notifyAll();
		}
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
		synchronized (this) {
			if (closed) {
				return;
			}
			closed = true;
			notifyAll();
		}
		closeQuietly(listener);
		dropConnections();
		long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
		for (Thread thread : List.copyOf(threads)) {
			thread.interrupt();
			try {
				thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	/** Shows the addresses and the faults in force. */
	@Override
	public String toString() {
		String faults = (isBlackholed() ? "blackholed, " : "") + "latency " + latency().toMillis() + " ms";
		return "FaultProxy[" + HOST + ":" + port() + " -> " + targetHost + ":" + targetPort + ", " + faults + "]";
	}

	/** {@return the names of the proxy's threads still alive; empty once closed} */
	List<String> liveThreadNames() {
		return threads.stream().filter(Thread::isAlive).map(Thread::getName).toList();
	}

	private void acceptLoop() {
		while (!closed) {
			Socket client;
			try {
				client = listener.accept();
			} catch (IOException e) {
				// Closed by close(); any other failure (out of file descriptors, say) is retried
				// until then, after a pause rather than in a busy loop.
				if (!closed) {
					pause();
				}
				continue;
			}
			if (closed) {
				closeQuietly(client);
				return;
			}
			Link link = new Link(client, linkCount.incrementAndGet());
			links.add(link);
			if (closed) {
				// close() may have dropped the links before this one was added.
				link.close();
				return;
			}
			spawn(name + "-" + link.id + "-connect", link::run);
		}
	}

	/**
	 * Waits while blackholed.
	 *
	 * @return whether the link may go on; false once the proxy or the link is closed
	 */
	private synchronized boolean awaitOpen(Link link) throws InterruptedException {
		while (blackholed && !closed && !link.closed) {
			wait(RECHECK_MILLIS);
		}
		return !closed && !link.closed;
	}

	private static void pause() {
		try {
			Thread.sleep(RECHECK_MILLIS);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	private void spawn(String threadName, Runnable task) {
		Thread thread = new Thread(() -> {
			try {
				task.run();
			} finally {
				threads.remove(Thread.currentThread());
			}
		}, threadName);
		thread.setDaemon(true);
		threads.add(thread);
		thread.start();
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		} catch (Exception ignored) {
			// Closing is how threads are told to stop; a failure to close changes nothing.
		}
	}

	/** Bytes read at one moment, to be written once their delay has passed. */
	private record Chunk(byte[] bytes, long dueAt) {

		/** Marks the end of a direction: the reader saw end of stream or an error. */
		static final Chunk END = new Chunk(new byte[0], 0);
	}

	/** One client connection and the connection to the node it is forwarded to. */
	private final class Link {

		private final Socket client;
		private final int id;
		private volatile Socket upstream;
		private volatile boolean closed;

		Link(Socket client, int id) {
			this.client = client;
			this.id = id;
		}

		/** Connects upstream once no blackhole holds it back, then becomes the client-side reader. */
		void run() {
			try {
				if (!awaitOpen(this)) {
					close();
					return;
				}
				Socket node = new Socket();
				synchronized (this) {
					if (closed) {
						return;
					}
					upstream = node;
				}
				node.connect(new InetSocketAddress(targetHost, targetPort), Math.toIntExact(CONNECT_TIMEOUT.toMillis()));
				node.setTcpNoDelay(true);
				client.setTcpNoDelay(true);
				BlockingQueue<Chunk> toNode = new LinkedBlockingQueue<>();
				BlockingQueue<Chunk> toClient = new LinkedBlockingQueue<>();
				start("node-read", () -> read(node.getInputStream(), toClient));
				start("node-write", () -> write(toNode, node.getOutputStream()));
				start("client-write", () -> write(toClient, client.getOutputStream()));
				read(client.getInputStream(), toNode);
			} catch (IOException e) {
				// The node is down or the link was dropped: the client sees its connection close.
				close();
			} catch (InterruptedException e) {
				close();
			}
		}

		private void start(String role, IoTask task) {
			synchronized (this) {
				if (closed) {
					return;
				}
				spawn(name + "-" + id + "-" + role, () -> {
					try {
						task.run();
					} catch (IOException | InterruptedException e) {
						close();
					}
				});
			}
		}

		private void read(InputStream in, BlockingQueue<Chunk> queue) throws IOException {
			byte[] buffer = new byte[BUFFER_SIZE];
			long lastDue = 0;
			try {
				while (!closed) {
					int n = in.read(buffer);
					if (n < 0) {
						break;
					}
					// Never earlier than the chunk before: a lowered latency must not reorder bytes.
					long due = Math.max(System.nanoTime() + latencyNanos, lastDue);
					lastDue = due;
					queue.add(new Chunk(Arrays.copyOf(buffer, n), due));
				}
			} catch (SocketException e) {
				// Closed under the reader: the link is going down anyway.
			} finally {
				queue.add(Chunk.END);
			}
		}

		private void write(BlockingQueue<Chunk> queue, OutputStream out) throws IOException, InterruptedException {
			while (!closed) {
				Chunk chunk = queue.poll(RECHECK_MILLIS, TimeUnit.MILLISECONDS);
				if (chunk == null) {
					continue;
				}
				if (chunk == Chunk.END) {
					// Everything read before the end has been written: pass the close on.
					close();
					return;
				}
				long wait;
				while ((wait = chunk.dueAt - System.nanoTime()) > 0 && !closed) {
					TimeUnit.NANOSECONDS.sleep(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(RECHECK_MILLIS)));
				}
				if (!awaitOpen(this)) {
					return;
				}
				out.write(chunk.bytes);
				out.flush();
			}
		}

		void close() {
			synchronized (this) {
				if (closed) {
					return;
				}
				closed = true;
			}
			links.remove(this);
			closeQuietly(client);
			Socket node = upstream;
			if (node != null) {
				closeQuietly(node);
			}
		}
	}

	@FunctionalInterface
	private interface IoTask {

		void run() throws IOException, InterruptedException;
	}
}
