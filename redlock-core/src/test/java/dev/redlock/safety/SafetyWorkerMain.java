package dev.redlock.safety;

import java.util.List;

/**
 * The safety suite's second JVM: runs {@link SafetyWorkload} with clients of its own and
 * reports what they did on standard output, errors first, then one result line.
 *
 * <p>
 * Arguments: the lock nodes' URIs separated by commas, the counter server's URI, a name for
 * this process's clients, how many clients, and the end time in epoch milliseconds.
 */
public final class SafetyWorkerMain {

	static final String ERROR_PREFIX = "SAFETY-ERROR ";

	private SafetyWorkerMain() {
	}

	public static void main(String[] args) throws InterruptedException {
		if (args.length != 5) {
			System.err.println("usage: SafetyWorkerMain <node,node,...> <counter-uri> <name> <clients> <end-epoch-ms>");
			System.exit(2);
		}
		SafetyWorkload workload = new SafetyWorkload(List.of(args[0].split(",")), args[1], args[2],
				Integer.parseInt(args[3]), Long.parseLong(args[4]));
		SafetyWorkload.Counts counts = workload.run();
		counts.errors().forEach((error) -> System.out.println(ERROR_PREFIX + error));
		System.out.println(counts.toLine());
		System.out.flush();
		// Lettuce and the testkit leave daemon threads only, but a clear exit code helps the parent.
		System.exit(0);
	}

}
