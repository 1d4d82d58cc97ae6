package dev.redlock.spring;

/**
 * What a {@link DistributedLock @DistributedLock} method (or a {@link DistributedLockTemplate}
 * call) does when its lock is lost while its work is still running: the lock could not be
 * extended and ran out, or a quorum of nodes no longer holds it. Whatever the policy, the
 * loss is logged at ERROR and published as a {@link DistributedLockLostEvent}, and a
 * transaction that began under the lock is rolled back if it has not committed yet.
 */
public enum OnLost {

	/**
	 * The policy of {@code redlock.on-lost}, {@link #LOG} unless set.
	 */
	DEFAULT,

	/**
	 * The work runs on; it can ask {@link DistributedLocks#currentLock()} whether the lock is
	 * still held.
	 */
	LOG,

	/**
	 * The work is stopped: the thread running a blocking method is interrupted (blocking
	 * calls in it throw {@link InterruptedException} or an exception of their own); the
	 * {@link java.util.concurrent.CompletableFuture} a method returned completes exceptionally
	 * with a {@link DistributedLockLostException}, and the future behind it is cancelled; a
	 * reactive result ({@code Mono}, {@code Flux}, RxJava, Kotlin {@code Flow} or
	 * {@code suspend}) has its upstream cancelled and fails with a
	 * {@link DistributedLockLostException}.
	 */
	INTERRUPT

}
