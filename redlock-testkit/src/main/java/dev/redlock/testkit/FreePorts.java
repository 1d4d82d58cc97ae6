package dev.redlock.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** Picks free loopback ports for new servers. */
final class FreePorts {

	private static final int ATTEMPTS = 50;

	/**
	 * Every port this JVM has handed out. A server keeps its port across restarts, and servers
	 * started in parallel would otherwise be able to pick the same port between the probe socket
	 * closing and redis-server binding it; never handing a port out twice rules both clashes out
	 * within one JVM.
	 */
	private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

	/** Redis 6 listens for the cluster bus on the client port plus this, and cannot be told otherwise. */
	static final int CLUSTER_BUS_OFFSET = 10_000;

	/**
	 * Cluster ports are drawn from here rather than from the operating system's ephemeral range
	 * (from 32768 on Linux, 49152 on macOS), which neither they nor their bus ports reach: the
	 * ephemeral range would put many bus ports above 65535, and any outgoing connection on the
	 * machine can take a port from it at any moment.
	 */
	private static final int CLUSTER_PORT_MIN = 12_000;

	private static final int CLUSTER_PORT_MAX = 22_000;

	private FreePorts() {
	}

	static int pick(String host) {
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			int port;
			try (ServerSocket probe = new ServerSocket()) {
				probe.bind(new InetSocketAddress(host, 0));
				port = probe.getLocalPort();
			}
			catch (IOException e) {
				throw new UncheckedIOException("Could not find a free port on " + host, e);
			}
			if (HANDED_OUT.add(port)) {
				return port;
			}
		}
		throw new IllegalStateException("No unused free port on " + host + " after " + ATTEMPTS + " attempts");
	}

	/**
	 * Picks a free port whose cluster bus port, {@link #CLUSTER_BUS_OFFSET} higher, is free too;
	 * neither is handed out again by this JVM.
	 */
	static int pickWithBusPort(String host) {
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			int port = ThreadLocalRandom.current().nextInt(CLUSTER_PORT_MIN, CLUSTER_PORT_MAX);
			int bus = port + CLUSTER_BUS_OFFSET;
			if (isFree(host, port) && isFree(host, bus) && HANDED_OUT.add(port)) {
				if (HANDED_OUT.add(bus)) {
					return port;
				}
				// Left handed out: harmless, and safer than racing whoever took the bus port.
			}
		}
		throw new IllegalStateException("No free pair of ports " + host + ":p and p+" + CLUSTER_BUS_OFFSET
				+ " (p from " + CLUSTER_PORT_MIN + " to " + CLUSTER_PORT_MAX + ") after " + ATTEMPTS + " attempts");
	}

	private static boolean isFree(String host, int port) {
		try (ServerSocket probe = new ServerSocket()) {
			probe.bind(new InetSocketAddress(host, port));
			return true;
		}
		catch (IOException e) {
			return false;
		}
	}
}
