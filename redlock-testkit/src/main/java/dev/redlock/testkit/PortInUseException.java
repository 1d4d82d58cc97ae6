package dev.redlock.testkit;

/** Signals a bind failure, which a retry on another port can fix. */
final class PortInUseException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	PortInUseException(String message) {
		super(message);
	}
}
