package dev.redlock.benchmarks.measure;

import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import org.HdrHistogram.Histogram;

/**
 * The physical floor: one {@code PING} round trip through Lettuce's synchronous API to one
 * node on loopback. No lock can be taken in less than one of these.
 */
public final class LoopbackProbe {

	private LoopbackProbe() {
	}

	/** PINGs for {@code warmup}, then records {@code count} of them. */
	public static Histogram measure(String uri, ClientResources resources, long warmupNanos, int count) {
		RedisClient client = RedisClient.create(resources, RedisURI.create(uri));
		try (StatefulRedisConnection<String, String> connection = client.connect(StringCodec.UTF8)) {
			RedisCommands<String, String> redis = connection.sync();
			long warmEnd = System.nanoTime() + warmupNanos;
			while (System.nanoTime() < warmEnd) {
				redis.ping();
			}
			Histogram histogram = Latencies.newHistogram();
			for (int i = 0; i < count; i++) {
				long start = System.nanoTime();
				redis.ping();
				histogram.recordValue(System.nanoTime() - start);
			}
			return histogram;
		}
		finally {
			client.shutdown(0, 2, TimeUnit.SECONDS);
		}
	}

}
