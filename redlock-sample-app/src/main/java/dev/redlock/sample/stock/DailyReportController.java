package dev.redlock.sample.stock;

import java.util.List;

import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Triggers the daily job now, on this instance, to show that only one instance runs it. */
@RestController
class DailyReportController {

	private final DailyReportJob job;

	DailyReportController(DailyReportJob job) {
		this.job = job;
	}

	/** {@code ran}: true (ran), false (already done today), null (skipped: another instance is running it). */
	@PostMapping("/jobs/daily-report/run")
	Outcome run(@RequestParam(defaultValue = "true") boolean locked) {
		return new Outcome(locked ? this.job.run() : this.job.runUnlocked(), this.job.runs());
	}

	@DeleteMapping("/jobs/daily-report")
	void reset() {
		this.job.reset();
	}

	@GetMapping("/jobs/daily-report")
	Outcome runs() {
		return new Outcome(null, this.job.runs());
	}

	record Outcome(Boolean ran, List<String> runsToday) {
	}

}
