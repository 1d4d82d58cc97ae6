package dev.redlock.sample.kv;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import dev.redlock.LockAcquisitionException;
import dev.redlock.sample.web.BadRequestException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.task.TaskExecutor;
import org.springframework.http.ResponseEntity;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Seed 000: an Express service that locks a key and sets its value. {@code /lockAndSetValue}
 * answers at once (202) and the locked job runs in the background, holding the lock for
 * {@code sample.kv.hold-time}, so a second client's job on the same key waits for it;
 * {@code ?wait=true} answers only when its job is done, and tells how long it waited.
 * {@code /setValue} is the unlocked variant that overwrites at once.
 */
@RestController
class KeyValueController {

	private static final Log logger = LogFactory.getLog(KeyValueController.class);

	private final KeyValueService service;

	private final TaskExecutor background;

	KeyValueController(KeyValueService service, @Qualifier("applicationTaskExecutor") TaskExecutor background) {
		this.service = service;
		this.background = background;
	}

	/**
	 * Tries the lock once on the request thread, so that a key the lock refuses is answered
	 * with a 400 rather than accepted and lost in the background. If another job holds the
	 * key, this job waits for it on a background thread.
	 */
	@PostMapping("/lockAndSetValue")
	ResponseEntity<?> lockAndSetValue(@RequestBody(required = false) KeyValue body,
			@RequestParam(defaultValue = "false") boolean wait) {
		KeyValue input = validated(body);
		if (wait) {
			return ResponseEntity.ok(lockAndSetWaiting(input));
		}
		CompletableFuture<LockedWrite> attempt = this.service.lockAndSetIfFree(input.key(), input.value());
		Throwable failure = failedAtOnce(attempt);
		if (failure instanceof LockAcquisitionException busy && busy.isHeldByAnotherOwner()) {
			this.background.execute(() -> lockAndSetWhenFree(input));
			return ResponseEntity.accepted().body(new Accepted(input.key(), input.value(), "waiting"));
		}
		if (failure != null) {
			throw (failure instanceof RuntimeException ex) ? ex : new IllegalStateException(failure);
		}
		attempt.whenComplete(KeyValueController::logged);
		return ResponseEntity.accepted().body(new Accepted(input.key(), input.value(), "held"));
	}

	@PostMapping("/setValue")
	KeyValue setValue(@RequestBody(required = false) KeyValue body) {
		KeyValue input = validated(body);
		this.service.set(input.key(), input.value());
		return input;
	}

	@GetMapping("/getValue/{key}")
	ResponseEntity<KeyValue> getValue(@PathVariable String key) {
		String value = this.service.get(key);
		return (value != null) ? ResponseEntity.ok(new KeyValue(key, value)) : ResponseEntity.notFound().build();
	}

	private LockedWrite lockAndSetWaiting(KeyValue input) {
		long started = System.nanoTime();
		LockedWrite write = this.service.lockAndSet(input.key(), input.value());
		return write.withWaited(Duration.ofNanos(System.nanoTime() - started).toMillis() - write.heldMs());
	}

	private void lockAndSetWhenFree(KeyValue input) {
		try {
			this.service.lockAndSetWhenFree(input.key(), input.value()).whenComplete(KeyValueController::logged);
		}
		catch (RuntimeException ex) {
			logged(null, ex);
		}
	}

	/** Why the attempt failed if it did so at once: a held lock fails the future before the method runs. */
	private static Throwable failedAtOnce(CompletableFuture<?> attempt) {
		return attempt.isCompletedExceptionally() ? attempt.handle((value, ex) -> ex).join() : null;
	}

	private static void logged(LockedWrite write, Throwable failure) {
		if (failure != null) {
			logger.warn("A background lockAndSetValue failed: " + failure.getMessage(), failure);
		}
		else {
			logger.info("Background lockAndSetValue done: " + write);
		}
	}

	private static KeyValue validated(KeyValue body) {
		if (body == null || !StringUtils.hasText(body.key()) || !StringUtils.hasText(body.value())) {
			throw new BadRequestException("Wrong input: 'key' and 'value' are required");
		}
		return body;
	}

	/** A key and its value, as sent and as answered. */
	record KeyValue(String key, String value) {
	}

	/** A job accepted: the lock is {@code held} and the value set, or its job is {@code waiting} for the lock. */
	record Accepted(String key, String value, String lock) {
	}

	/** What a locked write did: the value set, how long it waited for the lock and held it. */
	record LockedWrite(String key, String value, String instance, long waitedMs, long heldMs) {

		LockedWrite withWaited(long waitedMs) {
			return new LockedWrite(this.key, this.value, this.instance, waitedMs, this.heldMs);
		}

	}

}
