package dev.redlock.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.redlock.RedlockException;
import dev.redlock.internal.WaitingLines.Claimed;
import dev.redlock.internal.WaitingLines.Entered;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

/**
 * One node's side of the {@link WaitingLines}: the commands that touch its lines, and whether
 * it may. A node that refuses them (an ACL without the line keys, a Redis without
 * {@code LPOS}) is from then on used without lines, and reported once: a release falls back
 * to deleting the keys at once, a claim to a plain SET. A release never fails for a line.
 */
final class NodeLines {

	private final String node;

	private final Callbacks callbacks;

	private final AtomicBoolean refusalReported = new AtomicBoolean();

	private volatile boolean refused;

	NodeLines(String node, Callbacks callbacks) {
		this.node = node;
		this.callbacks = callbacks;
	}

	/**
	 * Releases the keys holding the token: {@link Scripts#RELEASE}, handing each key on to its
	 * line's head when there is a notification to tell the head with.
	 * @param publish 'publish', 'spublish', or '' for no notification
	 * @param channels each key's channel; unused without a notification
	 */
	CompletionStage<Object> release(RedisClusterAsyncCommands<String, String> redis, String[] keys, String token,
			String publish, String[] channels) {
		if (publish.isEmpty() || this.refused) {
			return Scripts.run(redis, Scripts.RELEASE, ScriptOutputType.MULTI, keys, args(token, publish, "", channels));
		}
		String[] withLines = new String[keys.length * 2];
		for (int i = 0; i < keys.length; i++) {
			withLines[i] = keys[i];
			withLines[keys.length + i] = WaitingLines.keyOf(keys[i]);
		}
		return Scripts.<Object>run(redis, Scripts.RELEASE, ScriptOutputType.MULTI, withLines,
				args(token, publish, Long.toString(WaitingLines.RESERVATION_MILLIS), channels))
			.exceptionallyCompose((ex) -> {
				if (refusedLines(ex) || duringResharding(ex)) {
					return Scripts.run(redis, Scripts.RELEASE, ScriptOutputType.MULTI, keys, args(token, publish, "", channels));
				}
				return CompletableFuture.failedFuture(ex);
			});
	}

	/**
	 * Sets the key if free or reserved for the waiter {@code lineId}, or for any waiter when
	 * {@code named} by the designated node: {@link Scripts#CLAIM}, or a plain SET without lines.
	 */
	CompletableFuture<Claimed> claim(RedisClusterAsyncCommands<String, String> redis, String key, String token,
			long ttlMillis, String lineId, boolean named) {
		if (this.refused) {
			return asClaim(setIfAbsent(redis, key, token, ttlMillis));
		}
		return Scripts.<List<Object>>run(redis, Scripts.CLAIM, ScriptOutputType.MULTI,
				new String[] { key, WaitingLines.keyOf(key) }, token, Long.toString(ttlMillis), lineId, named ? "1" : "0",
				Long.toString(WaitingLines.MIN_LINE_EXPIRY_MILLIS))
			.thenApply(NodeLines::claimed)
			.exceptionallyCompose((ex) -> (refusedLines(ex) || duringResharding(ex))
					? asClaim(setIfAbsent(redis, key, token, ttlMillis)) : CompletableFuture.failedFuture(ex));
	}

	private static Claimed claimed(List<Object> reply) {
		long outcome = (Long) reply.get(0);
		return (outcome == 1) ? Claimed.SET : (outcome == 2) ? new Claimed(false, (String) reply.get(1)) : Claimed.REFUSED;
	}

	/** A plain SET's answer as a claim's: without lines, a refusal says nothing of why. */
	private static CompletableFuture<Claimed> asClaim(CompletableFuture<Boolean> granted) {
		return granted.thenApply((set) -> set ? Claimed.SET : Claimed.REFUSED);
	}

	/** {@code SET key token NX PX ttl}: a first attempt on one key, and a claim where there are no lines. */
	static CompletableFuture<Boolean> setIfAbsent(RedisClusterAsyncCommands<String, String> redis, String key, String token,
			long ttlMillis) {
		return redis.set(key, token, SetArgs.Builder.nx().px(ttlMillis)).thenApply("OK"::equals).toCompletableFuture();
	}

	/** Puts the waiter in the key's line: {@link Scripts#ENTER_LINE}; {@link Entered#NO_LINES} on a node without lines. */
	CompletableFuture<Entered> enter(RedisClusterAsyncCommands<String, String> redis, String key, String lineId,
			long expiryMillis) {
		if (this.refused) {
			return CompletableFuture.completedFuture(Entered.NO_LINES);
		}
		return Scripts.<Long>run(redis, Scripts.ENTER_LINE, ScriptOutputType.INTEGER,
				new String[] { key, WaitingLines.keyOf(key) }, lineId, Long.toString(expiryMillis))
			.thenApply((entered) -> Entered.values()[entered.intValue()])
			.exceptionallyCompose((ex) -> refusedLines(ex) ? CompletableFuture.completedFuture(Entered.NO_LINES)
					: CompletableFuture.failedFuture(ex));
	}

	/**
	 * A first attempt that waits in line if it loses: {@link Scripts#ENTER_LINE} with the
	 * token, which sets a free key ({@link Entered#FREE}) and otherwise enters the line. A node
	 * without lines gets a plain SET: {@link Entered#FREE} if set, {@link Entered#NO_LINES} if not.
	 */
	CompletableFuture<Entered> takeOrEnter(RedisClusterAsyncCommands<String, String> redis, String key, String token,
			long ttlMillis, String lineId, long expiryMillis) {
		if (this.refused) {
			return asFirstAttempt(setIfAbsent(redis, key, token, ttlMillis));
		}
		return Scripts.<Long>run(redis, Scripts.ENTER_LINE, ScriptOutputType.INTEGER,
				new String[] { key, WaitingLines.keyOf(key) }, lineId, Long.toString(expiryMillis), token,
				Long.toString(ttlMillis))
			.thenApply((entered) -> Entered.values()[entered.intValue()])
			.exceptionallyCompose((ex) -> (refusedLines(ex) || duringResharding(ex))
					? asFirstAttempt(setIfAbsent(redis, key, token, ttlMillis))
					: CompletableFuture.failedFuture(ex));
	}

	/**
	 * A plain first attempt's answer, as {@link #takeOrEnter} gives it: {@link Entered#FREE} if
	 * granted, {@link Entered#NO_LINES} if not.
	 */
	static CompletableFuture<Entered> asFirstAttempt(CompletableFuture<Boolean> granted) {
		return granted.thenApply((set) -> set ? Entered.FREE : Entered.NO_LINES);
	}

	/** Takes the waiter out of the key's line, handing on a reservation held for it: {@link Scripts#LEAVE_LINE}. */
	CompletableFuture<Boolean> leave(RedisClusterAsyncCommands<String, String> redis, String key, String lineId,
			String publish, String channel) {
		if (this.refused) {
			return CompletableFuture.completedFuture(false);
		}
		return Scripts.<Long>run(redis, Scripts.LEAVE_LINE, ScriptOutputType.INTEGER,
				new String[] { key, WaitingLines.keyOf(key) }, lineId, publish, channel,
				Long.toString(WaitingLines.RESERVATION_MILLIS))
			.thenApply((handedOn) -> handedOn != null && handedOn == 1);
	}

	/** Whether the node refused lines, and is used without them from now on. */
	boolean refused() {
		return this.refused;
	}

	private static String[] args(String token, String publish, String reservation, String[] channels) {
		String[] args = new String[3 + (publish.isEmpty() ? 0 : channels.length)];
		args[0] = token;
		args[1] = publish;
		args[2] = reservation;
		if (!publish.isEmpty()) {
			System.arraycopy(channels, 0, args, 3, channels.length);
		}
		return args;
	}

	/**
	 * Whether {@code ex} is a cluster refusing a command on two keys of a slot being migrated,
	 * one of which has moved already (the line key rarely exists where the lock key does): the
	 * command is then sent again without the line, this once.
	 */
	private static boolean duringResharding(Throwable ex) {
		Throwable cause = Futures.unwrap(ex);
		return cause instanceof RedisCommandExecutionException && String.valueOf(cause.getMessage()).startsWith("TRYAGAIN");
	}

	/** Whether {@code ex} is the node refusing the line keys or commands; if so, lines are off here from now on. */
	private boolean refusedLines(Throwable ex) {
		Throwable cause = Futures.unwrap(ex);
		String message = String.valueOf(cause.getMessage());
		if (!(cause instanceof RedisCommandExecutionException) || !(message.contains("NOPERM")
				|| message.contains("can't run this command") || message.contains("no permissions")
				|| message.contains("Unknown Redis command") || message.contains("unknown command"))) {
			return false;
		}
		this.refused = true;
		if (this.refusalReported.compareAndSet(false, true)) {
			this.callbacks.clientError(this.node, new RedlockException(this.node + " refused the keys or commands of "
					+ "waiting lines (" + message + "; an ACL must allow the keys '" + WaitingLines.PREFIX
					+ "*'); locks work without them, but waiters are served in no particular order. Reported once.",
					cause));
		}
		return true;
	}

}
