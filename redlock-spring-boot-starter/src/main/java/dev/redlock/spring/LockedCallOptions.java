package dev.redlock.spring;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

import dev.redlock.LockOptions;

/**
 * The per-call options of the starter's own acquisitions (annotated methods and the
 * template), each a new instance it remembers, so that a listener of the core recognises
 * those acquisitions by {@link dev.redlock.AcquisitionEvent#options()} and leaves them to the
 * {@link DistributedLockObserver}s, which see them already: metrics count them once, the
 * endpoint lists them once. {@link LockOptions} has identity equality, and the instances are
 * held weakly: one is forgotten once its acquisition and its event are gone.
 */
final class LockedCallOptions {

	private static final Map<LockOptions, Boolean> ISSUED = Collections.synchronizedMap(new WeakHashMap<>());

	private LockedCallOptions() {
	}

	/** Options that wait up to {@code waitTime} (zero: one attempt), as a locked call does. */
	static LockOptions waitingUpTo(Duration waitTime) {
		LockOptions options = LockOptions.builder().waitTime(waitTime).retryCount(-1).build();
		ISSUED.put(options, Boolean.TRUE);
		return options;
	}

	static boolean isIssued(LockOptions options) {
		return options != null && ISSUED.containsKey(options);
	}

}
