package dev.redlock.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
}
