package dev.redlock.internal;

import java.util.concurrent.CompletableFuture;

/**
 * The claim of a key's line head, sent to every node once the nodes named it (see
 * {@link WaitingLines}), and what follows it on a node where the previous lock still held the
 * key. That lock's release went to every node at once, but reached this one after the claim:
 * there the release then reserves the key for this head, still first in that node's line, and
 * tells it so. Once the claim has won on a quorum, the head claims the key on that node again,
 * with the lock's token. The lock is then held on every node, and the late release does not
 * hand the key to the next waiter instead, who would wake for a key it cannot win and fight
 * the lock for it.
 *
 * <p>
 * The wait for that node's word ends with the lock, or after the command timeout, when the
 * claim is sent once more anyway; a node that refuses it again is left as any node that did
 * not grant. The lock's next command on that node (an extension, its release) is sent after
 * the wait, so none can overtake the claim it would have to follow.
 */
final class HeadClaim {

	private final LockContext context;

	private final String key;

	private final String lineId;

	private final String token;

	private final long ttlMillis;

	private final long waitNanos;

	/** The nodes that refused the claim because a lock held the key. */
	private final LockHolders holders;

	/** Per node: completed once it told this head, after the claim was sent, that it reserved the key for it. */
	private final CompletableFuture<?>[] reserved;

	private final Tally tally;

	/**
	 * Sends the claim.
	 * @param waitNanos how long to wait for a node that a lock still held to reserve the key
	 * @param holders told of each node where a lock held the key
	 */
	HeadClaim(LockContext context, String key, String lineId, String token, long ttlMillis, long waitNanos,
			LockHolders holders) {
		this.context = context;
		this.key = key;
		this.lineId = lineId;
		this.token = token;
		this.ttlMillis = ttlMillis;
		this.waitNanos = waitNanos;
		this.holders = holders;
		this.reserved = new CompletableFuture<?>[context.nodeCount()];
		for (int i = 0; i < this.reserved.length; i++) {
			this.reserved[i] = new CompletableFuture<Void>();
		}
		// Last: a node's word may come as soon as the claim is out.
		this.tally = context.rounds().acquire(new String[] { key }, token, ttlMillis, lineId, true, holders);
	}

	Tally tally() {
		return this.tally;
	}

	/** Node {@code node} told this head that it reserved the key for it. */
	void reservedBy(int node) {
		if (node >= 0 && node < this.reserved.length) {
			this.reserved[node].complete(null);
		}
	}

	/**
	 * Each node's last word on the claim that won {@code lock}: its reply, or, where a lock still
	 * held the key, the claim taken up there later. Each completes with whether the node holds
	 * the lock.
	 */
	CompletableFuture<?>[] grants(RedlockLock lock) {
		CompletableFuture<?>[] replies = this.tally.replies();
		CompletableFuture<?>[] grants = new CompletableFuture<?>[replies.length];
		for (int i = 0; i < replies.length; i++) {
			int node = i;
			grants[i] = replies[i].handle((granted, ex) -> ex == null && Boolean.TRUE.equals(granted))
				.thenCompose((granted) -> (granted || !this.holders.heldAt(node)) ? CompletableFuture.completedFuture(granted)
						: takeUp(node, lock));
		}
		return grants;
	}

	private CompletableFuture<Boolean> takeUp(int node, RedlockLock lock) {
		CompletableFuture<?> told = this.reserved[node];
		lock.ended().thenRun(() -> told.complete(null));
		try {
			this.context.timers().timeout(() -> told.complete(null), this.waitNanos);
		}
		catch (IllegalStateException closed) {
			told.complete(null);
		}
		return told.thenCompose((ignored) -> lock.isHeld()
				? this.context.rounds().claimOn(node, this.key, this.token, this.ttlMillis, this.lineId)
					.exceptionally((ex) -> false)
				: CompletableFuture.completedFuture(false));
	}

}
