package dev.redlock.sample;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/** Reads a Redis server directly, to see what the app left in it. */
final class RedisContents {

	private RedisContents() {
	}

	static List<String> keys(String uri) {
		return read(uri, (redis) -> redis.keys("*"));
	}

	static String get(String uri, String key) {
		return read(uri, (redis) -> redis.get(key));
	}

	static void set(String uri, String key, String value) {
		read(uri, (redis) -> redis.set(key, value));
	}

	static List<String> list(String uri, String key) {
		return read(uri, (redis) -> redis.lrange(key, 0, -1));
	}

	private static <T> T read(String uri, Function<RedisCommands<String, String>, T> command) {
		RedisURI redisUri = RedisURI.create(uri);
		redisUri.setTimeout(Duration.ofSeconds(10));
		RedisClient client = RedisClient.create(redisUri);
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			return command.apply(connection.sync());
		}
		finally {
			client.shutdown();
		}
	}

}
