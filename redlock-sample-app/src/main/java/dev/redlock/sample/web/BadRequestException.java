package dev.redlock.sample.web;

/** Input the endpoint cannot work with; answered with 400. */
public class BadRequestException extends RuntimeException {

	public BadRequestException(String message) {
		super(message);
	}

}
