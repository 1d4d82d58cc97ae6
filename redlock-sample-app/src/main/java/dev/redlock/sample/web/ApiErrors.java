package dev.redlock.sample.web;

import dev.redlock.LockAcquisitionException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error answer is an RFC 9457 problem ({@code application/problem+json}). Spring MVC's
 * own exceptions and the app's {@link BadRequestException} and {@link ConflictException} are
 * handled by the base class; this adds what the lock throws.
 */
@RestControllerAdvice
class ApiErrors extends ResponseEntityExceptionHandler {

	private static final Log logger = LogFactory.getLog(ApiErrors.class);

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		ProblemDetail body = createProblemDetail(ex, status, "Wrong input: the body must be JSON", null, null, request);
		return handleExceptionInternal(ex, body, headers, status, request);
	}

	/** Waited the configured time and another request still held the lock, or too few nodes answered. */
	@ExceptionHandler(LockAcquisitionException.class)
	ProblemDetail lockNotAcquired(LockAcquisitionException ex) {
		if (ex.isHeldByAnotherOwner()) {
			return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
					"Busy: another request held " + ex.resources() + " for the whole wait, try again");
		}
		logger.warn(ex.getMessage());
		return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, "Lock service unavailable: " + ex.reason());
	}

	/**
	 * A key built from the request that the lock refuses is the client's mistake. Any other
	 * {@link IllegalArgumentException} is a bug of the app's, and is rethrown to stay a 500.
	 */
	@ExceptionHandler(IllegalArgumentException.class)
	ProblemDetail keyRefused(IllegalArgumentException ex) {
		if (!LockRefusals.isRefusedKey(ex)) {
			throw ex;
		}
		return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "The key cannot be locked: " + ex.getMessage());
	}

}
