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
		for (Scripts.Script script : Scripts.ALL) {
			redis.scriptLoad(script.text());
		}
		return redis.info("server").toCompletableFuture().handle((info, ex) -> {
			if (ex != null) {
				logger.debug("Cannot read the identity of {}: {}", node, Futures.unwrap(ex).getMessage());
				return null;
			}
			return runId(info);
		});
	}

	static String runId(String info) {
		for (String line : info.split("\r?\n")) {
			if (line.startsWith("run_id:")) {
				return line.substring("run_id:".length()).trim();
			}
		}
		return null;
	}

}
