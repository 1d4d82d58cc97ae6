package dev.redlock.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.redlock.Lock;
import dev.redlock.NodeInspector;
import dev.redlock.Redlock;
import dev.redlock.RedlockBuilder;
import dev.redlock.RedlockListener;
import dev.redlock.testkit.RedisServersExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ACL the README gives a restricted user, locks and waiting lines, allows every command
 * the lines' scripts run: here a claim that takes a reservation made for another head and puts
 * that head back in its line. A command missing from it would turn the lines off on that node
 * and report it.
 */
class DocumentedAclTests {

	private static final String USER = "locker";

	private static final String PASSWORD = "change-me-3f9a";

	private static final Duration TTL = Duration.ofSeconds(30);

	private static final Duration GENEROUS = Duration.ofSeconds(30);

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3, "--user", USER, "on", ">" + PASSWORD,
			"resetchannels", "~locks:*", "&redlock:releases:*", "-@all", "+@connection", "+set", "+get", "+exists",
			"+pexpire", "+del", "+eval", "+evalsha", "+publish", "+subscribe", "+unsubscribe",
			// Waiting lines, as the README adds them.
			"~redlock:line:*", "+lpop", "+lpos", "+lpush", "+rpush", "+lrem", "+pttl");

	private final List<Throwable> reported = new CopyOnWriteArrayList<>();

	private NodeInspector nodes;

	private Redlock holder;

	private Redlock waiter;

	@BeforeEach
	void start() {
		this.nodes = new NodeInspector(redis.servers());
		this.holder = restricted().build();
		this.waiter = restricted().retryDelay(Duration.ofSeconds(60)).retryJitter(Duration.ZERO).build();
	}

	@AfterEach
	void stop() {
		this.waiter.close();
		this.holder.close();
		this.nodes.close();
	}

	private RedlockBuilder restricted() {
		List<String> uris = redis.servers()
			.stream()
			.map((server) -> "redis://" + USER + ":" + PASSWORD + "@127.0.0.1:" + server.port())
			.toList();
		return Redlock.builder().nodes(uris).listener(new RedlockListener() {
			@Override
			public void onClientError(String node, Throwable error) {
				DocumentedAclTests.this.reported.add(error);
			}
		});
	}

	@Test
	void aClaimThatTakesAnotherHeadsReservationRunsUnderTheDocumentedAcl() throws Exception {
		String key = "locks:acl:lines";
		int designated = SplitRule.designated(new String[] { key }, redis.size());
		Lock held = this.holder.acquire(key, TTL);
		this.nodes.enterLineOnAllBut(designated, key, "gone.1");
		CompletableFuture<Lock> waiting = this.waiter.acquireAsync(key, TTL).toCompletableFuture();
		await().atMost(GENEROUS).until(() -> this.nodes.line(designated, key).size() == 1);

		held.release();
		Lock next = waiting.get(20, TimeUnit.SECONDS);
		this.nodes.awaitEverywhere(key, next.value());
		for (int node = 0; node < redis.size(); node++) {
			if (node != designated) {
				assertThat(this.nodes.line(node, key)).as("line on node %d", node).containsExactly("gone.1");
			}
		}
		assertThat(this.reported).isEmpty();
		next.release();
	}

}
