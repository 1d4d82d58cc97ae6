package dev.redlock.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** Accepts clients on a proxy's port, each into a new {@link ProxyLink}, until the proxy closes. */
final class AcceptLoop implements Runnable {

	private final ServerSocket listener;

	/** The prefix of the proxy's thread names. */
	private final String name;

	private final String targetHost;

	private final int targetPort;

	private final FaultSwitches switches;

	private final ProxyThreads threads;

	private final Set<ProxyLink> links;

	private final AtomicInteger linkCount = new AtomicInteger();

	AcceptLoop(ServerSocket listener, String name, String targetHost, int targetPort, FaultSwitches switches,
			ProxyThreads threads, Set<ProxyLink> links) {
		this.listener = listener;
		this.name = name;
		this.targetHost = targetHost;
		this.targetPort = targetPort;
		this.switches = switches;
		this.threads = threads;
		this.links = links;
	}

	@Override
	public void run() {
		while (!switches.isClosed()) {
			Socket client;
			try {
				client = listener.accept();
			}
			catch (IOException e) {
				// Closed by close(); any other failure (out of file descriptors, say) is retried
				// until then, after a pause rather than in a busy loop.
				if (!switches.isClosed()) {
					pause();
				}
				continue;
			}
			if (switches.isClosed()) {
				ProxyLink.closeQuietly(client);
				return;
			}
			String linkName = name + "-" + linkCount.incrementAndGet();
			ProxyLink link = new ProxyLink(client, linkName, targetHost, targetPort, switches, threads, links);
			links.add(link);
			if (switches.isClosed()) {
				// close() may have dropped the links before this one was added.
				link.close();
				return;
			}
			threads.spawn(linkName + "-connect", link::run);
		}
	}

	private static void pause() {
		try {
			Thread.sleep(FaultSwitches.RECHECK_MILLIS);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}
}
