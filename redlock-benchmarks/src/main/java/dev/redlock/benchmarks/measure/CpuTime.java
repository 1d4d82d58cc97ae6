package dev.redlock.benchmarks.measure;

import java.lang.management.ManagementFactory;

/**
 * CPU spent during one measured window, by the nodes together and by this JVM. Divided by
 * the window's operations it is a cost per lock that holds whatever the cores: on a machine
 * where every Redis process has a core of its own, the node CPU per lock bounds the locks a
 * node can serve, which a loaded 2-core box's throughput cannot show.
 *
 * @param nodeMicros {@code used_cpu_user + used_cpu_sys} of every node, summed, in µs
 * @param clientMicros this JVM's process CPU time, in µs: the client's threads, its event
 * loops and the measuring itself
 */
public record CpuTime(double nodeMicros, double clientMicros) {

	/** {@code after − before}. */
	public CpuTime minus(CpuTime before) {
		return new CpuTime(this.nodeMicros - before.nodeMicros, this.clientMicros - before.clientMicros);
	}

	/** This JVM's CPU time so far, in µs, or a negative value where the JVM cannot tell. */
	public static double processMicros() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
			return os.getProcessCpuTime() / 1e3;
		}
		return -1;
	}

}
