package dev.redlock.sample.kv;

import java.time.Duration;

import dev.redlock.sample.web.BadRequestException;

import org.springframework.http.ResponseEntity;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Seed 000: an Express service that locks a key and sets its value. {@code /lockAndSetValue}
 * holds the lock for {@code sample.kv.hold-time}, so a second client on the same key waits;
 * {@code /setValue} is the unlocked variant that overwrites at once.
 */
@RestController
class KeyValueController {

	private final KeyValueService service;

	KeyValueController(KeyValueService service) {
		this.service = service;
	}

	@PostMapping("/lockAndSetValue")
	LockedWrite lockAndSetValue(@RequestBody(required = false) KeyValue body) {
		KeyValue input = validated(body);
		long started = System.nanoTime();
		LockedWrite write = this.service.lockAndSet(input.key(), input.value());
		return write.withWaited(Duration.ofNanos(System.nanoTime() - started).toMillis() - write.heldMs());
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

	private static KeyValue validated(KeyValue body) {
		if (body == null || !StringUtils.hasText(body.key()) || !StringUtils.hasText(body.value())) {
			throw new BadRequestException("Wrong input: 'key' and 'value' are required");
		}
		return body;
	}

	/** A key and its value, as sent and as answered. */
	record KeyValue(String key, String value) {
	}

	/** What a locked write did: the value set, how long it waited for the lock and held it. */
	record LockedWrite(String key, String value, String instance, long waitedMs, long heldMs) {

		LockedWrite withWaited(long waitedMs) {
			return new LockedWrite(this.key, this.value, this.instance, waitedMs, this.heldMs);
		}

	}

}
