package dev.redlock.sample.timeline;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.redlock.Lock;
import dev.redlock.LockHandle;
import dev.redlock.RedlockException;
import dev.redlock.RedlockListener;
import dev.redlock.spring.DistributedLockObserver;
import dev.redlock.spring.LockOutcome;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Hears what every locked call of this instance does, through the starter's observer and the
 * core's listener, and hands each step to the {@link LockTimelineStore}: who acquired which
 * key after waiting how long, extended it, released or lost it, and who gave up waiting. Each
 * call is a holder named {@code <instance>#<n>}.
 */
@Component
class LockTimelineRecorder implements DistributedLockObserver, RedlockListener {

	private final LockTimelineStore store;

	private final String instance;

	private final AtomicLong calls = new AtomicLong();

	/** The holder of each lock held, by the lock's token, for the core's events. */
	private final Map<String, String> holders = new ConcurrentHashMap<>();

	LockTimelineRecorder(LockTimelineStore store, @Value("${sample.instance:${server.port:8080}}") String instance) {
		this.store = store;
		this.instance = instance;
	}

	@Override
	public Call started(String name, List<String> keys) {
		long started = System.currentTimeMillis();
		String holder = this.instance + "#" + this.calls.incrementAndGet();
		return new Call() {

			private Lock lock;

			@Override
			public void acquired(Lock lock) {
				this.lock = lock;
				LockTimelineRecorder.this.holders.put(lock.value(), holder);
				record(keys, name, "acquired", holder, System.currentTimeMillis() - started);
			}

			@Override
			public void notAcquired(LockOutcome outcome, Throwable failure) {
				if (outcome != LockOutcome.JOINED) {
					record(keys, name, "gave-up:" + outcome.tag(), holder, System.currentTimeMillis() - started);
				}
			}

			@Override
			public void released() {
				if (this.lock != null) {
					LockTimelineRecorder.this.holders.remove(this.lock.value());
					record(keys, name, "released", holder, 0);
				}
			}

		};
	}

	@Override
	public void onLockExtended(LockHandle lock, RedlockException failure) {
		String holder = this.holders.get(lock.value());
		if (holder != null && failure == null) {
			record(lock.resources(), null, "extended", holder, 0);
		}
	}

	@Override
	public void onLockLost(LockHandle lock, RedlockException cause) {
		String holder = this.holders.get(lock.value());
		if (holder != null) {
			record(lock.resources(), null, "lost", holder, 0);
		}
	}

	private void record(List<String> keys, String name, String type, String holder, long waitedMillis) {
		long now = System.currentTimeMillis();
		for (String key : keys) {
			this.store.add(new LockTimelineEvent(now, this.instance, key, name, type, holder, waitedMillis));
		}
	}

}
