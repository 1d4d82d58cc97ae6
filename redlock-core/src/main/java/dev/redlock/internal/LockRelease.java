package dev.redlock.internal;

import java.util.concurrent.CompletableFuture;

import dev.redlock.NodeVote.Vote;
import dev.redlock.RedlockException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The release of a lock on the nodes, once its holder let go of it: compare-and-delete on
 * every node, decided at quorum, then a notification for the waiters. Never fails: a node it
 * cannot reach keeps the keys until their ttl.
 */
final class LockRelease {

	private static final Logger logger = LoggerFactory.getLogger(LockRelease.class);

	private LockRelease() {
	}

	/**
	 * Sends the release; completes on an I/O thread.
	 * @param longestTtlNanos the longest ttl the keys were set with: how long a missed key can live
	 */
	static CompletableFuture<Void> send(RedlockLock lock, LockContext context, long longestTtlNanos) {
		if (context.closed().get()) {
			// The connections are gone: a release could only wait for them to time out.
			logger.info("The lock on {} was released after its Redlock closed: it expires with its ttl", lock.resources());
			return CompletableFuture.completedFuture(null);
		}
		ReleaseNotifications notifications = context.notifications();
		Tally tally;
		try {
			tally = context.rounds().release(lock.keys(), lock.value(), notifications.channel(), lock.lastReplies(),
					longestTtlNanos);
		}
		catch (RedlockException closed) {
			logger.warn("The lock on {} was not released: {}; it expires with its ttl", lock.resources(), closed.getMessage());
			return CompletableFuture.completedFuture(null);
		}
		return tally.decided().thenAccept((decided) -> {
			notifications.released(lock.value(), lock.keys());
			if (decided.count(Vote.FAILED) > context.nodeCount() - context.quorum()) {
				logger.warn("The lock on {} was released on {} of {} nodes; where it was not, the release is retried "
						+ "until it lands or the keys expire: {}", lock.resources(), decided.count(Vote.GRANTED),
						context.nodeCount(), decided.votes());
			}
		});
	}

}
