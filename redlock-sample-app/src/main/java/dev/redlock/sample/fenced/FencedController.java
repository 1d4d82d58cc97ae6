package dev.redlock.sample.fenced;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /records/{id}/paused-writer} plays the paused-client scenario on a record, in the
 * Redis data store ({@code store=redis}) or in SQL ({@code store=jdbc}), fenced or not
 * ({@code fenced=false} shows the lost update).
 */
@RestController
class FencedController {

	private final PausedWriterScenario scenario;

	FencedController(PausedWriterScenario scenario) {
		this.scenario = scenario;
	}

	@PostMapping("/records/{id}/paused-writer")
	PausedWriterScenario.Outcome run(@PathVariable String id, @RequestParam(defaultValue = "redis") String store,
			@RequestParam(defaultValue = "true") boolean fenced) throws Exception {
		return this.scenario.run(id, store, fenced);
	}

	@GetMapping("/records/{id}")
	Records.Record read(@PathVariable String id, @RequestParam(defaultValue = "redis") String store) {
		return this.scenario.read(id, store);
	}

}
