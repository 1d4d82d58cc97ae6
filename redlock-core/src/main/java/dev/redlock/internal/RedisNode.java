package dev.redlock.internal;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

/**
 * One voting node of a Redlock: a standalone master, a Sentinel-managed master
 * ({@link StandaloneNode}), or a whole Redis Cluster ({@link ClusterNode}). Each holds its
 * own connections, shared by every lock, and answers the lock commands with one vote.
 */
interface RedisNode {

	/** The node as shown in logs: addresses, never credentials. */
	String name();

	/** Starts connecting; completes, normally or not, when the first attempt is over. */
	CompletableFuture<?> connect();

	/**
	 * The {@code run_id}s of the servers this node is made of, as read on the last connect:
	 * one for a master, every member for a cluster; empty before, or if the user may not run
	 * INFO. Two nodes that share one are the same server, which must not vote twice.
	 */
	Set<String> identities();

	boolean isSameServerAsAnother();

	/** Stops (or, with {@code null}, resumes) this node's votes: it is the same server as another node. */
	void sameServerAs(String otherNode);

	/** Sets every key, or none, to the token with the ttl; true if set. */
	CompletableFuture<Boolean> acquire(String[] keys, String token, long ttlMillis);

	/**
	 * Sets the key to the token with the ttl if it is free or reserved for the waiter
	 * {@code lineId} (for any waiter, when the key's designated node {@code named} this one),
	 * and takes that waiter out of the key's line ({@link WaitingLines}); says whether it did,
	 * and if not, whether a lock holds the key.
	 */
	CompletableFuture<WaitingLines.Claimed> claim(String key, String token, long ttlMillis, String lineId, boolean named);

	/** Whether the node keeps waiting lines: false once it refused their keys or commands. */
	boolean keepsLines();

	/**
	 * Puts the waiter {@code lineId} in the key's line, unless the key is free or reserved for
	 * it, and keeps the line at least {@code expiryMillis}.
	 */
	CompletableFuture<WaitingLines.Entered> enterLine(String key, String lineId, long expiryMillis);

	/**
	 * A first attempt on one key by a waiter that waits in line if it loses: sets the key to
	 * the token with the ttl if it is free ({@link WaitingLines.Entered#FREE}), and otherwise
	 * puts the waiter {@code lineId} in the key's line, as {@link #enterLine} does, in the same
	 * round trip. Where the node keeps no lines, or a grant must wait for replicas, it is a
	 * plain first attempt: {@link WaitingLines.Entered#NO_LINES} when not granted.
	 */
	CompletableFuture<WaitingLines.Entered> takeOrEnterLine(String key, String token, long ttlMillis, String lineId,
			long expiryMillis);

	/**
	 * Takes the waiter {@code lineId} out of the key's line; a reservation held for it is
	 * handed on, and told of on {@code channel} (empty for none), as a release would be.
	 */
	CompletableFuture<Boolean> leaveLine(String key, String lineId, String channel);

	/** Sets the ttl of every key if all hold the token; true if done. */
	CompletableFuture<Boolean> extend(String[] keys, String token, long ttlMillis);

	/** Whether every key holds the token. */
	CompletableFuture<Boolean> check(String[] keys, String token);

	CompletableFuture<Boolean> ping();

	/**
	 * Compare-and-delete; {@code channel} is empty when no notification should be published.
	 * A publish the node refuses (an ACL without the channel) loses only the notification, and
	 * is reported once.
	 */
	CompletableFuture<Boolean> release(String[] keys, String token, String channel);

	/**
	 * Sends {@code command} on the node's connection, once connected; refused if this node does
	 * not vote. On a cluster the command is routed by its first key, so every key it names must
	 * share that key's slot (see {@link #slotGroups}).
	 */
	<T> CompletableFuture<T> send(Function<RedisClusterAsyncCommands<String, String>, CompletionStage<T>> command);

	/**
	 * The positions of {@code keys} grouped so that each group can go in one command: all of
	 * them for a master, one group per hash slot for a cluster.
	 */
	default List<int[]> slotGroups(String[] keys) {
		int[] all = new int[keys.length];
		for (int i = 0; i < all.length; i++) {
			all[i] = i;
		}
		return List.of(all);
	}

	/**
	 * Subscribes to a key's release notifications: {@code channel} is the key's classic
	 * channel; a cluster with sharded Pub/Sub subscribes to the key's shard channel instead.
	 * @return completes once the node confirmed; fails if it cannot, or backs off after a failure
	 */
	CompletableFuture<Void> subscribe(String channel, String key);

	/** Stops hearing a key's release notifications. */
	void unsubscribe(String channel);

	/** Closes the connections without blocking; the caller bounds the wait. */
	CompletableFuture<Void> closeAsync();

}
