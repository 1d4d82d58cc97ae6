package dev.redlock.benchmarks.contenders;

import java.util.List;

/**
 * A contender measured in a JVM whose Lettuce uses Netty's NIO transport instead of the native
 * epoll one that this module puts on the class path: what the transport is worth, next to the
 * same contender on epoll. Lettuce picks its transport once per JVM, so these run in the
 * uncontended scenario only, whose every contender has a JMH fork of its own.
 */
public final class NioTransportContender implements Contender {

	/** Lettuce's switch: with it, Lettuce ignores the epoll library on the class path. */
	static final String EPOLL_OFF = "-Dio.lettuce.core.epoll=false";

	private final Contender onEpoll;

	NioTransportContender(Contender onEpoll) {
		this.onEpoll = onEpoll;
	}

	@Override
	public String id() {
		return this.onEpoll.id() + "-nio";
	}

	@Override
	public String description() {
		return "`" + this.onEpoll.id() + "` on Netty's NIO transport (" + EPOLL_OFF + "); the others use native epoll";
	}

	@Override
	public boolean runsOn(int nodes) {
		return this.onEpoll.runsOn(nodes);
	}

	@Override
	public List<String> jvmArgs() {
		return List.of(EPOLL_OFF);
	}

	@Override
	public LockClient connect(List<String> uris, SharedResources shared) {
		return this.onEpoll.connect(uris, shared);
	}

}
