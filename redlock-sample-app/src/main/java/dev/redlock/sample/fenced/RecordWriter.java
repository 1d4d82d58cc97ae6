package dev.redlock.sample.fenced;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.redlock.spring.DistributedLock;
import dev.redlock.spring.DistributedLocks;

import org.springframework.stereotype.Service;

/**
 * One client's update of a record under the lock: take the lock's fencing token, maybe stop
 * until {@code wakeUp} (a long GC pause, a stopped VM), then write. Not extended
 * automatically, so a pause longer than the ttl loses the lock, as in Kleppmann's example.
 */
@Service
public class RecordWriter {

	@DistributedLock(key = "'record:' + #id", ttl = "${sample.fenced.ttl}", waitTime = "30s", autoExtend = false)
	public Attempt update(Records store, String id, String value, boolean fenced, CountDownLatch tokenTaken,
			CountDownLatch wakeUp) throws InterruptedException {
		long token = DistributedLocks.fencingToken();
		tokenTaken.countDown();
		// The pause: this thread stops until told to go on, for as long as a GC pause may last.
		if (!wakeUp.await(60, TimeUnit.SECONDS)) {
			throw new IllegalStateException("Nobody woke the paused client within 60 s");
		}
		if (fenced) {
			return new Attempt(value, token, store.write(id, value, token));
		}
		store.writeUnfenced(id, value);
		return new Attempt(value, token, true);
	}

	/** What one client tried: its value, its token, and whether the store took the write. */
	public record Attempt(String value, long token, boolean written) {
	}

}
