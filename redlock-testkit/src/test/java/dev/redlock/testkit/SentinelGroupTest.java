package dev.redlock.testkit;

import static dev.redlock.testkit.Probes.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SentinelGroupTest {

	@Test
	void sentinelsReportTheMasterAndFailoverPromotesTheReplica() {
		List<Long> pids = new ArrayList<>();
		try (SentinelGroup group = SentinelGroup.start("locks")) {
			group.sentinels().forEach(sentinel -> pids.add(sentinel.pid()));
			pids.add(group.master().pid());
			pids.add(group.replica().pid());
			assertThat(group.masterName()).isEqualTo("locks");
			assertThat(group.sentinels()).hasSize(3);
			assertThat(group.uri()).isEqualTo("redis-sentinel://" + group.sentinels().stream()
					.map(sentinel -> "127.0.0.1:" + sentinel.port()).reduce((a, b) -> a + "," + b).orElseThrow() + "#locks");
			assertThat(group.currentMaster()).isSameAs(group.master());
			for (RedisServer sentinel : group.sentinels()) {
				assertThat(call(sentinel, "SENTINEL", "get-master-addr-by-name", "locks"))
						.isEqualTo("*[$127.0.0.1, $" + group.master().port() + "]");
				assertThat(call(sentinel, "ROLE")).startsWith("*[$sentinel");
			}
			assertThat(call(group.replica(), "ROLE")).startsWith("*[$slave");
			assertThat(call(group.master(), "SET", "locks:a", "token", "PX", "60000")).isEqualTo("+OK");
			assertThat(call(group.master(), "WAIT", "1", "5000")).isEqualTo(":1");

			RedisServer promoted = group.failover();

			assertThat(promoted).isSameAs(group.replica());
			assertThat(group.master().isRunning()).isFalse();
			assertThat(group.currentMaster()).isSameAs(group.replica());
			assertThat(call(promoted, "ROLE")).startsWith("*[$master");
			assertThat(call(promoted, "GET", "locks:a")).isEqualTo("$token");
			assertThat(call(promoted, "SET", "locks:b", "token")).isEqualTo("+OK");
			for (RedisServer sentinel : group.sentinels()) {
				assertThat(call(sentinel, "SENTINEL", "get-master-addr-by-name", "locks"))
						.isEqualTo("*[$127.0.0.1, $" + promoted.port() + "]");
			}
			assertThatThrownBy(group::failover).isInstanceOf(IllegalStateException.class)
					.hasMessageContaining("does not run");
		}
		assertThat(pids).hasSize(5).allMatch(Probes::isGone);
	}

	@Test
	void rejectsMasterNamesTheConfigurationCannotHold() {
		assertThatThrownBy(() -> SentinelGroup.start("two words")).isInstanceOf(IllegalArgumentException.class);
	}
}
