package dev.redlock.sample.web;

import dev.redlock.LockAcquisitionException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Maps what the scenarios throw to JSON answers. */
@RestControllerAdvice
class ApiErrors {

	private static final Log logger = LogFactory.getLog(ApiErrors.class);

	@ExceptionHandler({ BadRequestException.class, HttpMessageNotReadableException.class })
	@ResponseStatus(HttpStatus.BAD_REQUEST)
	ApiError badRequest(Exception ex) {
		return new ApiError((ex instanceof BadRequestException) ? ex.getMessage() : "Wrong input: the body must be JSON");
	}

	@ExceptionHandler(ConflictException.class)
	@ResponseStatus(HttpStatus.CONFLICT)
	ApiError conflict(ConflictException ex) {
		return new ApiError(ex.getMessage());
	}

	/** Waited the configured time and another request still held the lock. */
	@ExceptionHandler(LockAcquisitionException.class)
	ResponseEntity<ApiError> lockNotAcquired(LockAcquisitionException ex) {
		if (!ex.isHeldByAnotherOwner()) {
			logger.warn(ex.getMessage());
		}
		return ex.isHeldByAnotherOwner()
				? ResponseEntity.status(HttpStatus.CONFLICT)
					.body(new ApiError("Busy: another request held " + ex.resources() + " for the whole wait, try again"))
				: ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
					.body(new ApiError("Lock service unavailable: " + ex.reason()));
	}

}
