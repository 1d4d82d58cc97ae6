package dev.redlock.internal;

import java.util.concurrent.CompletableFuture;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What is done on every new connection to a server: load the scripts, and ask who it is. */
final class NodeIdentity {

	private static final Logger logger = LoggerFactory.getLogger(NodeIdentity.class);

	private NodeIdentity() {
	}

	/**
	 * Loads every script and reads the server's {@code run_id} from {@code INFO server}.
	 * Never fails: a user without the right to either gets EVAL fallbacks and no identity.
	 * @return the {@code run_id}, or {@code null} if it could not be read
	 */
	static CompletableFuture<String> prepare(RedisClusterAsyncCommands<String, String> redis, String node) {
		return prepareInfo(redis, node).thenApply((info) -> (info != null) ? runId(info) : null);
	}

	/**
	 * As {@link #prepare}, with the whole of {@code INFO server}.
	 * @return the server's {@code INFO server}, or {@code null} if it could not be read
	 */
	static CompletableFuture<String> prepareInfo(RedisClusterAsyncCommands<String, String> redis, String node) {
		for (Scripts.Script script : Scripts.ALL) {
			redis.scriptLoad(script.text());
		}
		return redis.info("server").toCompletableFuture().handle((info, ex) -> {
			if (ex != null) {
				logger.debug("Cannot read the identity of {}: {}", node, Futures.unwrap(ex).getMessage());
				return null;
			}
			return info;
		});
	}

	static String runId(String info) {
		return field(info, "run_id");
	}

	/** The major version of {@code redis_version}, or 0 if the INFO does not tell. */
	static int majorVersion(String info) {
		String version = field(info, "redis_version");
		if (version == null) {
			return 0;
		}
		try {
			int dot = version.indexOf('.');
			return Integer.parseInt((dot < 0) ? version : version.substring(0, dot));
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	private static String field(String info, String name) {
		for (String line : info.split("\r?\n")) {
			if (line.startsWith(name + ":")) {
				return line.substring(name.length() + 1).trim();
			}
		}
		return null;
	}

}
