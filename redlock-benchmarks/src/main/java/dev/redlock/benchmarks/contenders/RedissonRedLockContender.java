package dev.redlock.benchmarks.contenders;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.redisson.RedissonRedLock;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;

/**
 * Redisson's Redlock over the same N nodes: one client per node, an {@code RLock} on each,
 * combined by {@code RedissonRedLock}, which locks them one after another and needs a
 * majority ({@code RedissonMultiLock} with a failure allowance).
 */
public final class RedissonRedLockContender implements Contender {

	@Override
	public String id() {
		return "redisson-redlock";
	}

	@Override
	public String description() {
		return "Redisson RedissonRedLock (a RedissonMultiLock needing a majority) over N nodes, one client per node";
	}

	@Override
	public boolean runsOn(int nodes) {
		return true;
	}

	@Override
	public LockClient connect(List<String> uris, SharedResources shared) {
		List<RedissonClient> clients = new ArrayList<>();
		for (String uri : uris) {
			clients.add(RedissonClients.create(uri, shared));
		}
		return new LockClient() {

			@Override
			@SuppressWarnings("deprecation") // Redisson deprecates it for its own clustered locks; it is still its Redlock.
			public Held acquire(String key, Duration ttl, Duration maxWait) throws InterruptedException {
				RLock[] locks = new RLock[clients.size()];
				for (int i = 0; i < locks.length; i++) {
					locks[i] = clients.get(i).getLock(key);
				}
				RedissonRedLock redLock = new RedissonRedLock(locks);
				return redLock.tryLock(maxWait.toMillis(), ttl.toMillis(), TimeUnit.MILLISECONDS) ? redLock::unlock : null;
			}

			@Override
			public void close() {
				clients.forEach(RedissonClient::shutdown);
			}

		};
	}

}
