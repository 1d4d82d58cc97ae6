package dev.redlock;

/**
 * Base of every exception this library throws. Unchecked, like Lettuce's and Spring's:
 * a lock that cannot be had is usually handled far from where it was asked for.
 */
public class RedlockException extends RuntimeException {

	public RedlockException(String message) {
		super(message);
	}

	public RedlockException(String message, Throwable cause) {
		super(message, cause);
	}

}
