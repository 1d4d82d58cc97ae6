package dev.redlock.spring.boot;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import dev.redlock.testkit.RedisServer;
import dev.redlock.testkit.TlsCertificates;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * Redis servers that ask for credentials or speak TLS, started for one test and closed after
 * it, and the test's own view of what they hold, read through the plain-text port with the
 * credentials the test gives.
 */
final class SecuredServers implements AutoCloseable {

	/** The default user off, and {@code alice} allowed everything with {@code password}. */
	static String[] aliceOnly(String password) {
		return new String[] { "--user", "default", "off", "--user", "alice", "on", ">" + password, "~*", "&*", "+@all" };
	}

	private final List<RedisServer> servers = new ArrayList<>();

	/** Starts {@code count} servers with these extra {@code redis-server} arguments. */
	static SecuredServers start(int count, String... args) {
		SecuredServers servers = new SecuredServers();
		try {
			for (int i = 0; i < count; i++) {
				servers.servers.add(RedisServer.builder().args(args).start());
			}
			return servers;
		}
		catch (RuntimeException | Error ex) {
			servers.close();
			throw ex;
		}
	}

	/** Starts {@code count} servers that also serve TLS with these certificates. */
	static SecuredServers startTls(int count, TlsCertificates tls, String... args) {
		SecuredServers servers = new SecuredServers();
		try {
			for (int i = 0; i < count; i++) {
				servers.servers.add(RedisServer.builder().tls(tls).args(args).start());
			}
			return servers;
		}
		catch (RuntimeException | Error ex) {
			servers.close();
			throw ex;
		}
	}

	RedisServer get(int index) {
		return this.servers.get(index);
	}

	/** {@code redlock.nodes[i]=<uri>} for every server. */
	String[] nodes(Function<RedisServer, String> uri) {
		List<String> properties = new ArrayList<>();
		for (int i = 0; i < this.servers.size(); i++) {
			properties.add("redlock.nodes[" + i + "]=" + uri.apply(this.servers.get(i)));
		}
		return properties.toArray(String[]::new);
	}

	/** The value of {@code key} on every server, {@code null} where it is absent. */
	List<String> values(RedisURI.Builder as, String key) {
		return everywhere(as, (redis) -> redis.get(key));
	}

	/** The fewest subscribers to {@code channel} that any server has. */
	long subscribers(RedisURI.Builder as, String channel) {
		return everywhere(as, (redis) -> redis.pubsubNumsub(channel).getOrDefault(channel, 0L)).stream()
			.mapToLong(Long::longValue)
			.min()
			.orElse(0);
	}

	private <T> List<T> everywhere(RedisURI.Builder as, Function<RedisCommands<String, String>, T> command) {
		List<T> results = new ArrayList<>();
		for (RedisServer server : this.servers) {
			RedisURI uri = as.withHost(server.host()).withPort(server.port()).withSsl(false).build();
			RedisClient client = RedisClient.create();
			try (StatefulRedisConnection<String, String> connection = client.connect(uri)) {
				results.add(command.apply(connection.sync()));
			}
			finally {
				client.shutdown();
			}
		}
		return results;
	}

	@Override
	public void close() {
		RuntimeException failure = null;
		for (RedisServer server : this.servers) {
			try {
				server.close();
			}
			catch (RuntimeException ex) {
				if (failure == null) {
					failure = ex;
				}
				else {
					failure.addSuppressed(ex);
				}
			}
		}
		if (failure != null) {
			throw failure;
		}
	}

}
