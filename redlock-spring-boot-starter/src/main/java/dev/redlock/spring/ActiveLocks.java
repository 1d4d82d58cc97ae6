package dev.redlock.spring;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.redlock.AcquisitionEvent;
import dev.redlock.Lock;
import dev.redlock.LockHandle;
import dev.redlock.RedlockException;
import dev.redlock.RedlockListener;

/**
 * The locks this instance holds right now: what the {@code redlock} actuator endpoint shows,
 * and how meters of extensions and losses, which the core reports by lock, find the lock's
 * name. An observer of the locked calls (annotated methods and the template), which it lists
 * under the call's name; and a listener of the core, which tells it of the locks taken
 * directly on the {@code Redlock} bean, listed as {@value #REDLOCK_BEAN}.
 */
public final class ActiveLocks implements DistributedLockObserver, RedlockListener {

	/** The name of the locks taken directly on the {@code Redlock} bean, not by a locked call. */
	public static final String REDLOCK_BEAN = "Redlock bean";

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
				ActiveLocks.this.held.put(lock.value(), new Entry(name, lock, ActiveLocks.this.clock.instant(), false));
			}

			@Override
			public void released() {
				if (this.lock != null) {
					ActiveLocks.this.held.remove(this.lock.value());
				}
			}

		};
	}

	/**
	 * Whether the acquisition was a locked call's (an annotated method's or the template's),
	 * which the {@link DistributedLockObserver}s see already: a listener of the core that
	 * records acquisitions leaves those out, so that none is counted twice.
	 */
	public static boolean isLockedCall(AcquisitionEvent event) {
		return LockedCallOptions.isIssued(event.options());
	}

	/** Lists a lock taken directly on the {@code Redlock} bean. */
	@Override
	public void onAcquisition(AcquisitionEvent event) {
		LockHandle lock = event.lock();
		if (lock == null || isLockedCall(event)) {
			return;
		}
		Entry entry = new Entry(REDLOCK_BEAN, lock, this.clock.instant(), true);
		this.held.putIfAbsent(lock.value(), entry);
		// Released before this event arrived: its onLockEnded may have come first.
		if (!lock.isHeld()) {
			this.held.remove(lock.value(), entry);
		}
	}

	/** Forgets a lock taken on the {@code Redlock} bean; a locked call's goes when the call releases it. */
	@Override
	public void onLockEnded(LockHandle lock, Duration heldFor) {
		Entry entry = this.held.get(lock.value());
		if (entry != null && entry.direct) {
			this.held.remove(lock.value(), entry);
		}
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

	/**
	 * The locks held now, oldest first. A lock is held until it is released, lost, or its
	 * validity runs out: one acquired without automatic extension and never released is left
	 * out once it ran out, though no event tells of that. Read here, when asked, so that no
	 * timer runs per lock. Such a lock taken on the {@code Redlock} bean is forgotten at once;
	 * a locked call's is kept until the call releases it, so that a loss event arriving late is
	 * still counted under the call's name ({@link #nameOf}).
	 */
	public List<ActiveLock> list() {
		this.held.values().removeIf((entry) -> entry.direct && !entry.lock.isHeld());
		return this.held.values()
			.stream()
			.filter((entry) -> entry.lock.isHeld())
			.map(Entry::describe)
			.sorted(Comparator.comparing(ActiveLock::since))
			.toList();
	}

	/**
	 * One held lock.
	 *
	 * @param name the method or template call holding it, or {@value ActiveLocks#REDLOCK_BEAN}
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

		private final LockHandle lock;

		private final Instant since;

		/** Taken on the Redlock bean, as the core told: the core's events end it. */
		private final boolean direct;

		private final AtomicInteger extensions = new AtomicInteger();

		Entry(String name, LockHandle lock, Instant since, boolean direct) {
			this.name = name;
			this.lock = lock;
			this.since = since;
			this.direct = direct;
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
