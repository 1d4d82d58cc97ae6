package dev.redlock.sample;

import java.time.Duration;

/** Stands in for the real work a scenario does between reading and writing its state. */
public final class Work {

	private Work() {
	}

	public static void simulate(Duration duration) {
		try {
			Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
