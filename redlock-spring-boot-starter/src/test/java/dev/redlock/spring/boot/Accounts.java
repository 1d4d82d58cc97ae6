package dev.redlock.spring.boot;

import java.util.function.Function;

import dev.redlock.LockHandle;
import dev.redlock.spring.DistributedLock;
import dev.redlock.spring.DistributedLocks;

/**
 * A service with one {@link DistributedLock @DistributedLock} method, which hands its lock to
 * the work the test gives it, so the test can look at the nodes while the lock is held.
 */
class Accounts {

	@DistributedLock(key = "'account:' + #account", ttl = "10s", waitTime = "5s")
	<T> T locked(String account, Function<LockHandle, T> work) {
		return work.apply(DistributedLocks.currentLock().orElseThrow());
	}

}
