package dev.redlock.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.lettuce.core.ScriptOutputType;

/** The fencing commands on one node: the counters' read-and-raise, write-back and plain read. */
final class FenceCommands {

	/**
	 * How long a counter lives after its last token. A counter that expired is like one on a
	 * node restarted empty: it starts again from the node's clock, above every earlier token
	 * as long as the nodes' clocks agree to within this (they must agree much more closely,
	 * to within the restart delay, anyway). It keeps a counter per resource ever fenced from
	 * filling the nodes' memory.
	 */
	static final Duration COUNTER_TTL = Duration.ofHours(24);

	private static final String COUNTER_TTL_MILLIS = Long.toString(COUNTER_TTL.toMillis());

	private FenceCommands() {
	}

	/** Raises and returns the counters, or completes with {@code null} if the node does not hold the lock. */
	static CompletableFuture<long[]> read(RedisNode node, String[] keys, String[] fenceKeys, String token) {
		return node.<List<Object>>send((redis) -> Scripts.run(redis, Scripts.FENCE_READ, ScriptOutputType.MULTI,
				concat(keys, fenceKeys), token, COUNTER_TTL_MILLIS))
			.thenApply((reply) -> {
				if (reply.isEmpty()) {
					return null;
				}
				long[] counters = new long[reply.size()];
				for (int i = 0; i < counters.length; i++) {
					counters[i] = Long.parseLong((String) reply.get(i));
				}
				return counters;
			});
	}

	/** Raises each counter to at least its token, if the node holds the lock. */
	static CompletableFuture<Boolean> write(RedisNode node, String[] keys, String[] fenceKeys, String token,
			long[] tokens) {
		String[] args = new String[2 + tokens.length];
		args[0] = token;
		args[1] = COUNTER_TTL_MILLIS;
		for (int i = 0; i < tokens.length; i++) {
			args[2 + i] = Long.toString(tokens[i]);
		}
		return node.<Long>send((redis) -> Scripts.run(redis, Scripts.FENCE_WRITE, ScriptOutputType.INTEGER,
				concat(keys, fenceKeys), args))
			.thenApply((written) -> written != null && written > 0);
	}

	/** The counter's value, 0 if there is none. */
	static CompletableFuture<Long> get(RedisNode node, String fenceKey) {
		return node.<String>send((redis) -> redis.get(fenceKey))
			.thenApply((value) -> (value != null) ? Long.parseLong(value) : 0L);
	}

	private static String[] concat(String[] first, String[] second) {
		String[] all = new String[first.length + second.length];
		System.arraycopy(first, 0, all, 0, first.length);
		System.arraycopy(second, 0, all, first.length, second.length);
		return all;
	}

}
