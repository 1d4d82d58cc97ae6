package dev.redlock;

import java.time.Duration;

import dev.redlock.testkit.RedisServersExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Release, extend and check decide at quorum: a paused minority costs them nothing, and the
 * stragglers finish in the background. Before, each waited for every node or the timeout.
 */
class QuorumDecisionTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	@AfterEach
	void resume() {
		redis.servers().healAll();
	}

	@Test
	void anAutomaticallyExtendedLockStaysHeldWithOneNodeOfThreePaused() throws Exception {
		Duration ttl = Duration.ofSeconds(1);
		try (Redlock redlock = Redlock.builder().nodes(redis.uris()).build()) {
			Lock lock = redlock.acquire("locks:quorum:extended", ttl).autoExtend();
			redis.get(1).pause();
			long end = System.nanoTime() + ttl.multipliedBy(3).toNanos();
			int checks = 0;
			while (System.nanoTime() < end) {
				assertThat(lock.isHeld()).as("held at check %d, %s", checks, lock).isTrue();
				checks++;
				Thread.sleep(10);
			}
			lock.release();
			assertThat(lock.isHeld()).isFalse();
		}
	}

	@Test
	void releaseExtendAndCheckReturnOnceAQuorumAnswered() {
		// A command timeout no operation could hide inside: an answer that waited for the
		// paused node would take it whole.
		Duration commandTimeout = Duration.ofSeconds(20);
		try (Redlock redlock = Redlock.builder().nodes(redis.uris()).commandTimeout(commandTimeout).build()) {
			Lock lock = redlock.acquire("locks:quorum:release", Duration.ofSeconds(30));
			redis.get(2).pause();
			long started = System.nanoTime();
			lock.extend(Duration.ofSeconds(30));
			assertThat(lock.check()).isTrue();
			lock.release();
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(commandTimeout.dividedBy(2));
		}
	}

}
