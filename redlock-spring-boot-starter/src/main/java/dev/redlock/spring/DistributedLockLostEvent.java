package dev.redlock.spring;

import java.lang.reflect.Method;
import java.util.List;

import dev.redlock.RedlockException;

import org.springframework.context.ApplicationEvent;

/**
 * Published when the lock of a running {@link DistributedLock @DistributedLock} method is
 * lost: it could not be extended and ran out, or the nodes report that it belongs to someone
 * else. The method itself keeps running; the event lets the application react, for example
 * by alerting or by stopping work that other instances may now be doing too. Published on a
 * thread of its own, never the thread of the method.
 */
public class DistributedLockLostEvent extends ApplicationEvent {

	private final Method method;

	private final List<String> keys;

	private final RedlockException cause;

	/**
	 * @param source the object whose method held the lock
	 * @param method the annotated method
	 * @param keys the Redis keys of the lost lock
	 * @param cause why the lock is considered lost
	 */
	public DistributedLockLostEvent(Object source, Method method, List<String> keys, RedlockException cause) {
		super(source);
		this.method = method;
		this.keys = List.copyOf(keys);
		this.cause = cause;
	}

	/** The annotated method that held the lock, or {@code null} for a {@link DistributedLockTemplate} call. */
	public Method getMethod() {
		return this.method;
	}

	/** The Redis keys of the lost lock, prefix included. */
	public List<String> getKeys() {
		return this.keys;
	}

	/** Why the lock is considered lost. */
	public RedlockException getCause() {
		return this.cause;
	}

}
