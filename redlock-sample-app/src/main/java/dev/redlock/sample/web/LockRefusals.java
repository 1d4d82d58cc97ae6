package dev.redlock.sample.web;

/**
 * Tells the lock's refusals of a key from the app's own bugs. The lock checks the keys of a
 * call before it sends anything to a node, and throws an {@link IllegalArgumentException}
 * for one it cannot lock: the starter for a key expression that evaluates to nothing or a
 * blank, core for a name over 64 KiB of UTF-8 or holding a lone surrogate. The same type
 * thrown by the app or by another library means a bug, which a 400 would hide.
 */
final class LockRefusals {

	/** The packages of redlock-core and the starter; the sample app lives beside them. */
	private static final String LOCK_PACKAGES = "dev.redlock.";

	private static final String SAMPLE_PACKAGES = "dev.redlock.sample.";

	private LockRefusals() {
	}

	/** Whether the lock itself threw {@code ex}, which for an {@code IllegalArgumentException} means it refused the key. */
	static boolean isRefusedKey(IllegalArgumentException ex) {
		StackTraceElement[] trace = ex.getStackTrace();
		if (trace.length == 0) {
			return false;
		}
		String thrower = trace[0].getClassName();
		return thrower.startsWith(LOCK_PACKAGES) && !thrower.startsWith(SAMPLE_PACKAGES);
	}

}
