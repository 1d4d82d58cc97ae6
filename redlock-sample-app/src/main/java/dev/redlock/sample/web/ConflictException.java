package dev.redlock.sample.web;

/** The request lost to another one (slot taken, sold out); answered with 409. */
public class ConflictException extends RuntimeException {

	public ConflictException(String message) {
		super(message);
	}

}
