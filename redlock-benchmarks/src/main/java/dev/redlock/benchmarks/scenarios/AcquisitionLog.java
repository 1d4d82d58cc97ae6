package dev.redlock.benchmarks.scenarios;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A run's acquisitions, releases and timeouts as timestamped events, for a run whose workers
 * are in two JVMs: each JVM keeps its own log, the child's is sent to the parent as lines, and
 * the merged timeline is replayed through one {@link HandoffLedger}. A handoff from a worker in
 * one JVM to a worker in the other, or an overlap between them, then counts as within one JVM.
 *
 * <p>One event a line, times from {@link System#nanoTime()}: {@code A worker askedAt acquiredAt},
 * {@code R worker releasingAt}, {@code T worker timedOutAt}.
 */
final class AcquisitionLog implements ContendedLoop.Recorder {

	/**
	 * Time order; on a tie a release goes first: a working lock lets go before the next holder
	 * gets it, and a tie must not count as an overlap.
	 */
	private static final Comparator<Event> TIMELINE = Comparator.comparingLong(Event::at)
		.thenComparingInt((event) -> "RAT".indexOf(event.kind()));

	private final List<Event> events = new ArrayList<>();

	@Override
	public synchronized void acquired(int worker, long askedAt, long acquiredAt) {
		this.events.add(new Event('A', worker, acquiredAt, askedAt));
	}

	@Override
	public synchronized void releasing(int worker, long at) {
		this.events.add(new Event('R', worker, at, 0));
	}

	@Override
	public synchronized void timedOut(int worker, long at) {
		this.events.add(new Event('T', worker, at, 0));
	}

	synchronized List<String> lines() {
		return this.events.stream().map(Event::line).toList();
	}

	/**
	 * Adds an event another JVM wrote with {@link #lines()}.
	 * @throws IllegalArgumentException for a line that is not one
	 */
	synchronized void read(String line) {
		this.events.add(Event.parse(line));
	}

	/** Feeds every event to {@code ledger} in time order. */
	synchronized void replay(HandoffLedger ledger) {
		for (Event event : this.events.stream().sorted(TIMELINE).toList()) {
			switch (event.kind()) {
				case 'A' -> ledger.acquired(event.worker(), event.askedAt(), event.at());
				case 'R' -> ledger.releasing(event.worker(), event.at());
				default -> ledger.timedOut(event.worker(), event.at());
			}
		}
	}

	/** @param askedAt for an acquisition, when its wait began; otherwise 0 */
	private record Event(char kind, int worker, long at, long askedAt) {

		String line() {
			return (this.kind == 'A') ? "A " + this.worker + " " + this.askedAt + " " + this.at
					: this.kind + " " + this.worker + " " + this.at;
		}

		static Event parse(String line) {
			String[] parts = line.split(" ");
			try {
				if (parts[0].equals("A") && parts.length == 4) {
					return new Event('A', Integer.parseInt(parts[1]), Long.parseLong(parts[3]), Long.parseLong(parts[2]));
				}
				if ((parts[0].equals("R") || parts[0].equals("T")) && parts.length == 3) {
					return new Event(parts[0].charAt(0), Integer.parseInt(parts[1]), Long.parseLong(parts[2]), 0);
				}
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("Not an acquisition event: '" + line + "'", ex);
			}
			throw new IllegalArgumentException("Not an acquisition event: '" + line + "'");
		}

	}

}
