package dev.redlock.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One client connection through a {@link FaultProxy} and the connection to the node it is
 * forwarded to.
 *
 * <p>Each direction has a reader that stamps every chunk it reads with the time it is due, and a
 * writer that holds the chunk until then and while the proxy is blackholed: four threads per
 * link, so that a delayed or held direction never stalls the other.
 */
final class ProxyLink {

	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

	private static final int BUFFER_SIZE = 16 * 1024;

	private final Socket client;

	/** The prefix of the link's thread names. */
	private final String name;

	private final String targetHost;

	private final int targetPort;

	private final FaultSwitches switches;

	private final ProxyThreads threads;

	/** The proxy's open links, which this one leaves when it closes. */
	private final Set<ProxyLink> links;

	private volatile Socket upstream;

	private volatile boolean closed;

	ProxyLink(Socket client, String name, String targetHost, int targetPort, FaultSwitches switches,
			ProxyThreads threads, Set<ProxyLink> links) {
		this.client = client;
		this.name = name;
		this.targetHost = targetHost;
		this.targetPort = targetPort;
		this.switches = switches;
		this.threads = threads;
		this.links = links;
	}

	/** Connects upstream once no blackhole holds it back, then becomes the client-side reader. */
	void run() {
		try {
			if (!switches.awaitOpen(this::isClosed)) {
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
		}
		catch (IOException e) {
			// The node is down or the link was dropped: the client sees its connection close.
			close();
		}
		catch (InterruptedException e) {
			close();
		}
	}

	/** Closes both ends, discarding what was in flight; safe to call more than once. */
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

	boolean isClosed() {
		return closed;
	}

	static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ignored) {
			// Closing is how threads are told to stop; a failure to close changes nothing.
		}
	}

	private void start(String role, IoTask task) {
		synchronized (this) {
			if (closed) {
				return;
			}
			threads.spawn(name + "-" + role, () -> {
				try {
					task.run();
				}
				catch (IOException | InterruptedException e) {
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
				long due = Math.max(System.nanoTime() + switches.latencyNanos(), lastDue);
				lastDue = due;
				queue.add(new Chunk(Arrays.copyOf(buffer, n), due));
			}
		}
		catch (SocketException e) {
			// Closed under the reader: the link is going down anyway.
		}
		finally {
			queue.add(Chunk.END);
		}
	}

	private void write(BlockingQueue<Chunk> queue, OutputStream out) throws IOException, InterruptedException {
		while (!closed) {
			Chunk chunk = queue.poll(FaultSwitches.RECHECK_MILLIS, TimeUnit.MILLISECONDS);
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
				TimeUnit.NANOSECONDS.sleep(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(FaultSwitches.RECHECK_MILLIS)));
			}
			if (!switches.awaitOpen(this::isClosed)) {
				return;
			}
			out.write(chunk.bytes);
			out.flush();
		}
	}

	/** Bytes read at one moment, to be written once their delay has passed. */
	private record Chunk(byte[] bytes, long dueAt) {

		/** Marks the end of a direction: the reader saw end of stream or an error. */
		static final Chunk END = new Chunk(new byte[0], 0);
	}

	@FunctionalInterface
	private interface IoTask {

		void run() throws IOException, InterruptedException;
	}
}
