package dev.redlock.spring;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.redlock.Lock;
import dev.redlock.LockHandle;
import dev.redlock.RedlockException;
import dev.redlock.RedlockListener;

/**
 * The locks this instance holds for locked calls right now: what the {@code redlock} actuator
 * endpoint shows, and how meters of extensions and losses, which the core reports by lock,
 * find the lock's name. An observer of the calls and a listener of the core.
 */
public final class ActiveLocks implements DistributedLockObserver, RedlockListener {

	private final Map<String, Entry> held = new ConcurrentHashMap<>();

	private final Clock clock;

	public ActiveLocks() {
		this(Clock.systemUTC());
	}

	ActiveLocks(Clock clock) {
		this.clock = clock;
	}

	@Override
	public Call started(String name, List<String> keys) {
		return new Call() {

			private Lock lock;

			@Override
			public void acquired(Lock lock) {
				this.lock = lock;
				ActiveLocks.this.held.put(lock.value(), new Entry(name, lock, ActiveLocks.this.clock.instant()));
			}

			@Override
			public void released() {
				if (this.lock != null) {
					ActiveLocks.this.held.remove(this.lock.value());
				}
			}

		};
	}

	@Override
	public void onLockExtended(LockHandle lock, RedlockException failure) {
		Entry entry = this.held.get(lock.value());
		if (entry != null && failure == null) {
			entry.extensions.incrementAndGet();
		}
	}

	/** The name of the locked call holding {@code lock}, or {@code null} if it is none of this instance's. */
	public String nameOf(LockHandle lock) {
		Entry entry = this.held.get(lock.value());
		return (entry != null) ? entry.name : null;
	}

	/** The locks held now, oldest first. */
	public List<ActiveLock> list() {
		return this.held.values()
			.stream()
			.map(Entry::describe)
			.sorted(Comparator.comparing(ActiveLock::since))
			.toList();
	}

	/**
	 * One held lock.
	 *
	 * @param name the method or template call holding it
	 * @param keys the Redis keys
	 * @param since when it was acquired
	 * @param remainingValidityMillis how long it is still guaranteed, by the local clock
	 * @param extensions how many extensions succeeded so far
	 * @param fencingTokens the fencing token of each key already obtained, none asked for here
	 */
	public record ActiveLock(String name, List<String> keys, Instant since, long remainingValidityMillis,
			int extensions, Map<String, Long> fencingTokens) {
	}

	private static final class Entry {

		private final String name;

		private final Lock lock;

		private final Instant since;

		private final AtomicInteger extensions = new AtomicInteger();

		Entry(String name, Lock lock, Instant since) {
			this.name = name;
			this.lock = lock;
			this.since = since;
		}

		ActiveLock describe() {
			Map<String, Long> tokens = new LinkedHashMap<>();
			for (String key : this.lock.resources()) {
				this.lock.knownFencingToken(key).ifPresent((token) -> tokens.put(key, token));
			}
			return new ActiveLock(this.name, this.lock.resources(), this.since,
					this.lock.remainingValidity().toMillis(), this.extensions.get(), tokens);
		}

	}

}
