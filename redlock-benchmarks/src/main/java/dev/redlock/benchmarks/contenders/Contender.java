package dev.redlock.benchmarks.contenders;

import java.util.List;

/**
 * A lock implementation under test. Adding one to the benchmark is one class implementing
 * this, listed in {@link Contenders#all()}.
 */
public interface Contender {

	/** A short, stable name: the {@code contender} field of the results. */
	String id();

	/** What it is, for the report. */
	String description();

	/**
	 * Whether it runs on this many nodes: a single-instance lock such as Redisson's
	 * {@code RLock} has no meaning on three independent masters.
	 */
	boolean runsOn(int nodes);

	/**
	 * Flags for the JVM that measures it, for a contender that differs from another only in how
	 * its JVM runs; such a contender runs in the uncontended scenario only, where each has a JMH
	 * fork of its own.
	 */
	default List<String> jvmArgs() {
		return List.of();
	}

	/** Connects one client to {@code uris}, using the run's shared event loops. */
	LockClient connect(List<String> uris, SharedResources shared);

}
