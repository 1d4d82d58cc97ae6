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

	/**
	 * Raises and returns the counters, or completes with {@code null} if the node does not hold
	 * the lock. A counter shares its lock key's slot, so on a cluster each slot group of the
	 * lock's keys goes in one script with its counters.
	 */
	static CompletableFuture<long[]> read(RedisNode node, String[] keys, String[] fenceKeys, String token) {
		List<int[]> groups = node.slotGroups(keys);
		List<CompletableFuture<List<Object>>> replies = groups.stream()
			.map((group) -> node.<List<Object>>send((redis) -> Scripts.run(redis, Scripts.FENCE_READ, ScriptOutputType.MULTI,
					concat(pick(keys, group), pick(fenceKeys, group)), token, COUNTER_TTL_MILLIS)))
			.toList();
		return CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).thenApply((ignored) -> {
			long[] counters = new long[keys.length];
			for (int g = 0; g < groups.size(); g++) {
				List<Object> reply = replies.get(g).join();
				if (reply.isEmpty()) {
					return null;
				}
				int[] group = groups.get(g);
				for (int i = 0; i < group.length; i++) {
					counters[group[i]] = Long.parseLong((String) reply.get(i));
				}
			}
			return counters;
		});
	}

	/** Raises each counter to at least its token, if the node holds the lock; per slot group on a cluster. */
	static CompletableFuture<Boolean> write(RedisNode node, String[] keys, String[] fenceKeys, String token,
			long[] tokens) {
		List<CompletableFuture<Long>> replies = node.slotGroups(keys).stream().map((group) -> {
			String[] args = new String[2 + group.length];
			args[0] = token;
			args[1] = COUNTER_TTL_MILLIS;
			for (int i = 0; i < group.length; i++) {
				args[2 + i] = Long.toString(tokens[group[i]]);
			}
			return node.<Long>send((redis) -> Scripts.run(redis, Scripts.FENCE_WRITE, ScriptOutputType.INTEGER,
					concat(pick(keys, group), pick(fenceKeys, group)), args));
		}).toList();
		return CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new))
			.thenApply((ignored) -> replies.stream().allMatch((written) -> written.join() != null && written.join() > 0));
	}

	private static String[] pick(String[] values, int[] positions) {
		String[] picked = new String[positions.length];
		for (int i = 0; i < positions.length; i++) {
			picked[i] = values[positions[i]];
		}
		return picked;
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
