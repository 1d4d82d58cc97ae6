package dev.redlock.spring;

/**
 * A {@link DistributedLock @DistributedLock} that cannot be applied as declared: a key that is
 * not valid SpEL, a duration that is not one, a return type whose work the lock cannot follow,
 * or a method that a proxy cannot advise. Thrown while the application starts, so that the
 * method never runs without its lock.
 */
public class DistributedLockDeclarationException extends IllegalStateException {

	private final String method;

	private final String problem;

	private final String action;

	/**
	 * @param method the method, as {@code com.example.Service.method}
	 * @param problem what is wrong with it
	 * @param action what to change
	 * @param cause the underlying failure, or {@code null}
	 */
	public DistributedLockDeclarationException(String method, String problem, String action, Throwable cause) {
		super("@DistributedLock on " + method + " " + problem + ((action != null) ? "; " + action : ""), cause);
		this.method = method;
		this.problem = problem;
		this.action = action;
	}

	/** The method whose annotation cannot be applied. */
	public String getMethod() {
		return this.method;
	}

	/** What is wrong with it. */
	public String getProblem() {
		return this.problem;
	}

	/** What to change, or {@code null} when the problem says it. */
	public String getAction() {
		return this.action;
	}

}
