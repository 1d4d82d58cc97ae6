package dev.redlock.benchmarks.contenders;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * Event loops and executors shared by every client of a run. The contended scenario gives
 * each worker its own client, as separate processes would have; without sharing, 32 workers
 * would bring 32 sets of I/O threads onto two cores and measure the scheduler instead. Each
 * library keeps its default sizes: Lettuce's I/O threads, Redisson's 32 Netty threads and
 * its executor of twice the cores.
 */
public final class SharedResources implements AutoCloseable {

	/** Redisson's default {@code nettyThreads}. */
	private static final int REDISSON_NETTY_THREADS = 32;

	private ClientResources lettuce;

	private EventLoopGroup redissonEventLoops;

	private ExecutorService redissonExecutor;

	/** Lettuce resources for this project's core, the floor and Spring Data Redis. */
	public synchronized ClientResources lettuce() {
		if (this.lettuce == null) {
			this.lettuce = DefaultClientResources.create();
		}
		return this.lettuce;
	}

	@SuppressWarnings("deprecation") // Redisson 4 takes a plain EventLoopGroup; NIO is its default transport.
	synchronized EventLoopGroup redissonEventLoops() {
		if (this.redissonEventLoops == null) {
			this.redissonEventLoops = new NioEventLoopGroup(REDISSON_NETTY_THREADS,
					new DefaultThreadFactory("redisson-netty", true));
		}
		return this.redissonEventLoops;
	}

	synchronized ExecutorService redissonExecutor() {
		if (this.redissonExecutor == null) {
			this.redissonExecutor = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors() * 2,
					new DefaultThreadFactory("redisson", true));
		}
		return this.redissonExecutor;
	}

	@Override
	public synchronized void close() {
		if (this.lettuce != null) {
			this.lettuce.shutdown(0, 2, TimeUnit.SECONDS);
		}
		if (this.redissonEventLoops != null) {
			this.redissonEventLoops.shutdownGracefully(0, 2, TimeUnit.SECONDS);
		}
		if (this.redissonExecutor != null) {
			this.redissonExecutor.shutdownNow();
		}
	}

}
