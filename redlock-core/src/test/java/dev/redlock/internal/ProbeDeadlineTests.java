package dev.redlock.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.redlock.LockAcquisitionException;
import dev.redlock.NodeInspector;
import dev.redlock.Redlock;
import dev.redlock.testkit.FaultProxy;
import dev.redlock.testkit.RedisServersExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A retry probes the key's designated node alone and asks the other nodes only once that
 * node granted. When that grant comes back after the wait bound, asking the others would
 * answer a command timeout later still (here: a paused node), past the one command timeout
 * a caller was promised. The probe's grant is undone instead, and the call fails at once.
 *
 * <p>
 * The designated node sits behind a proxy with a one-second delay each way, so its grant
 * lands well after the bound. Another node is paused, so the first attempt, sent to every
 * node, waits out its command timeout; the next poll comes 3 s later:
 * <pre>
 *  0 s  attempt 1 to every node: refused by the designated node and another one
 *  4 s  attempt 1 decided: the paused node timed out
 *  5.5 s  the key expires on the designated node
 *  7 s  the probe: granted at 9 s, after the 8 s bound
 * </pre>
 */
class ProbeDeadlineTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private static final String KEY = "locks:probe:deadline";

	private static final Duration WAIT_TIME = Duration.ofSeconds(8);

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(4);

	@Test
	void aProbeGrantedAfterTheWaitBoundAsksNoOtherNodeAndIsUndone() {
		int designated = SplitRule.designated(new String[] { KEY }, 3);
		int refusing = (designated + 1) % 3;
		int paused = (designated + 2) % 3;
		try (FaultProxy slow = FaultProxy.to(redis.get(designated)); NodeInspector nodes = new NodeInspector(redis.servers())) {
			List<String> uris = new ArrayList<>(redis.uris());
			uris.set(designated, slow.uri());
			try (Redlock waiter = Redlock.builder()
				.nodes(uris)
				.releaseNotifications(false)
				.retryDelay(Duration.ofSeconds(3))
				.retryJitter(Duration.ZERO)
				.waitTime(WAIT_TIME)
				.commandTimeout(COMMAND_TIMEOUT)
				.build()) {
				nodes.set(refusing, KEY, "another-owner", Duration.ofMinutes(1));
				nodes.set(paused, KEY, "another-owner", Duration.ofMinutes(1));
				long designatedBefore = nodes.calls(designated, "set");
				long refusingBefore = nodes.calls(refusing, "set");
				slow.latency(Duration.ofSeconds(1));
				redis.get(paused).pause();
				try {
					long started = System.nanoTime();
					nodes.set(designated, KEY, "another-owner", Duration.ofMillis(5500));
					assertThatExceptionOfType(LockAcquisitionException.class)
						.isThrownBy(() -> waiter.acquire(KEY, Duration.ofSeconds(30)));
					Duration took = Duration.ofNanos(System.nanoTime() - started);

					// The test's own SET, the first attempt and the probe: the scenario ran.
					assertThat(nodes.calls(designated, "set") - designatedBefore).as("SETs on the designated node").isEqualTo(3);
					// The first attempt only: the late grant was not followed by an ask of the rest.
					assertThat(nodes.calls(refusing, "set") - refusingBefore).as("SETs on the refusing node").isEqualTo(1);
					assertThat(took).isLessThan(WAIT_TIME.plus(COMMAND_TIMEOUT));
					slow.latency(Duration.ZERO);
					await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(nodes.get(designated, KEY)).isNull());
				}
				finally {
					redis.get(paused).resume();
				}
			}
		}
	}

}
