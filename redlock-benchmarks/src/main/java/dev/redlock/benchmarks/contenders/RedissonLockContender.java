package dev.redlock.benchmarks.contenders;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;

/**
 * Redisson's {@code RLock} on a single node: a Lua hash per lock, waiters woken by Pub/Sub.
 * The lease is given, so no watchdog runs, like the other contenders' fixed ttl.
 */
public final class RedissonLockContender implements Contender {

	@Override
	public String id() {
		return "redisson-lock";
	}

	@Override
	public String description() {
		return "Redisson RLock, one node (tryLock with wait and lease; Pub/Sub wake-ups)";
	}

	@Override
	public boolean runsOn(int nodes) {
		return nodes == 1;
	}

	@Override
	public LockClient connect(List<String> uris, SharedResources shared) {
		RedissonClient redisson = RedissonClients.create(uris.get(0), shared);
		return new LockClient() {

			@Override
			public Held acquire(String key, Duration ttl, Duration maxWait) throws InterruptedException {
				RLock lock = redisson.getLock(key);
				return lock.tryLock(maxWait.toMillis(), ttl.toMillis(), TimeUnit.MILLISECONDS) ? lock::unlock : null;
			}

			@Override
			public void close() {
				redisson.shutdown();
			}

		};
	}

}
