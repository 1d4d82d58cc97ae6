package dev.redlock.spring;

/**
 * What a {@link DistributedLock @DistributedLock} method does when another owner still holds
 * its lock once its wait time is over.
 */
public enum IfLocked {

	/**
	 * The call fails with a {@link dev.redlock.LockAcquisitionException}.
	 */
	FAIL,

	/**
	 * The method is not run: the call returns {@code null}, an empty {@link java.util.Optional},
	 * nothing for {@code void}, a {@link java.util.concurrent.CompletableFuture} completed with
	 * {@code null}, or an empty {@code Mono} or {@code Flux}. Fits {@code @Scheduled} jobs
	 * that run on many instances of which one should do the work. Skipped calls are logged at
	 * DEBUG. Only contention is skipped: when too few nodes answer, the call still fails, so an
	 * outage is never mistaken for someone else doing the work. Not allowed on methods
	 * returning a primitive.
	 */
	SKIP

}
