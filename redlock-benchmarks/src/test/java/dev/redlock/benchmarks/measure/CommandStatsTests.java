package dev.redlock.benchmarks.measure;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Reading the nodes' counters, from the text redis-server 6.2 sends. No Redis. */
class CommandStatsTests {

	@Test
	void cpuIsUserPlusSystemWithoutChildrenOrMainThread() {
		String info = "# CPU\r\nused_cpu_sys:1.250000\r\nused_cpu_user:0.500500\r\nused_cpu_sys_children:9.000000\r\n"
				+ "used_cpu_user_children:9.000000\r\nused_cpu_sys_main_thread:7.000000\r\n"
				+ "used_cpu_user_main_thread:7.000000\r\n";
		assertThat(CommandStats.cpuMicros(info)).isCloseTo(1_750_500.0, within(1e-3));
	}

	@Test
	void noCpuLinesIsZero() {
		assertThat(CommandStats.cpuMicros("# CPU\r\n")).isZero();
	}

	@Test
	void cpuTimeDifference() {
		CpuTime spent = new CpuTime(1_500, 9_000).minus(new CpuTime(1_000, 4_000));
		assertThat(spent).isEqualTo(new CpuTime(500, 5_000));
	}

	@Test
	void deltaLeavesOutCommandsThatDidNotRun() {
		Map<String, Long> delta = CommandStats.delta(Map.of("set", 10L, "get", 4L), Map.of("set", 25L, "get", 4L,
				"evalsha", 3L));
		assertThat(delta).containsExactly(Map.entry("evalsha", 3L), Map.entry("set", 15L));
	}

}
