package dev.redlock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.redlock.testkit.FaultProxy;
import dev.redlock.testkit.RedisServersExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * One server, one vote: entries that reach the same server however they are spelled are
 * refused at build, told apart by the {@code run_id} the servers report; and a node that
 * later becomes another server (a restart: a new {@code run_id}) is reported to the listener.
 */
class OneServerOneVoteTests {

	private static final Duration GENEROUS = Duration.ofSeconds(30);

	/** Long enough that even a slow machine reads every identity within build's connect wait. */
	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private RedisClient adminClient;

	private StatefulRedisConnection<String, String> admin;

	@BeforeEach
	void connectAdmin() {
		this.adminClient = RedisClient.create();
		this.admin = this.adminClient.connect(RedisURI.create(redis.get(0).uri()));
	}

	@AfterEach
	void closeAll() throws Exception {
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
		this.admin.close();
		this.adminClient.shutdown();
	}

	/**
	 * Pins the run_id comparison in {@code Nodes.refuseDuplicates}: the two spellings differ
	 * as text (the builder's textual check passes them), so only the server's identity (or the
	 * resolved address) tells that they vote twice. Also pins that the refused build closes
	 * the connections it opened.
	 */
	@Test
	void localhostAndLoopbackAddressOfOneServerAreRefusedAtBuild() {
		int port = redis.get(0).port();
		long clientsBefore = clientCount();
		String byName = "redis://localhost:" + port;
		String byAddress = "redis://127.0.0.1:" + port;
		assertThatIllegalArgumentException()
			.isThrownBy(() -> build(List.of(redis.get(1).uri(), byName, redis.get(2).uri(), byAddress)))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("nodes[1] " + byName, "nodes[3] " + byAddress,
					"same server"));
		await().atMost(GENEROUS).untilAsserted(() -> assertThat(clientCount()).isLessThanOrEqualTo(clientsBefore));
	}

	/**
	 * Pins the identity check against an alias no address comparison can see through: a
	 * proxy on another port in front of a listed server. Without the run_id check the build
	 * would succeed and the server would vote twice.
	 */
	@Test
	void aProxyInFrontOfAListedServerIsRefusedAtBuild() {
		FaultProxy proxy = FaultProxy.to(redis.get(0));
		this.closeables.add(proxy);
		long clientsBefore = clientCount();
		List<String> nodes = List.of(redis.get(0).uri(), redis.get(1).uri(), proxy.uri());
		assertThatIllegalArgumentException().isThrownBy(() -> build(nodes))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("nodes[2] " + proxy.uri(),
					"nodes[0] " + redis.get(0).uri(), "run_id " + runId()));
		// The other order names both too: the later entry is the one refused.
		List<String> proxyFirst = List.of(proxy.uri(), redis.get(1).uri(), redis.get(2).uri(), redis.get(0).uri());
		assertThatIllegalArgumentException().isThrownBy(() -> build(proxyFirst))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("nodes[3] " + redis.get(0).uri(),
					"nodes[0] " + proxy.uri()));
		await().atMost(GENEROUS).untilAsserted(() -> assertThat(clientCount()).isLessThanOrEqualTo(clientsBefore));
	}

	/**
	 * Pins {@code RedlockListener.onNodeIdentityChanged}: the identity is read again on every
	 * reconnect, and a new run_id (here a restart, which also empties the node) is reported
	 * with the previous and the new one. Locks keep working afterwards: the restarted node is
	 * not mistaken for a duplicate of another.
	 */
	@Test
	void aRestartedNodeIsReportedWithItsOldAndNewRunId() {
		List<List<String>> changes = new CopyOnWriteArrayList<>();
		List<String> errors = new CopyOnWriteArrayList<>();
		Redlock redlock = Redlock.builder()
			.nodes(redis.uris())
			.commandTimeout(COMMAND_TIMEOUT)
			.listener(new RedlockListener() {
				@Override
				public void onNodeIdentityChanged(String node, String previousRunId, String runId) {
					changes.add(List.of(node, previousRunId, runId));
				}

				@Override
				public void onClientError(String node, Throwable error) {
					errors.add(node + ": " + error.getMessage());
				}
			})
			.build();
		this.closeables.add(redlock);
		redlock.acquire("locks:identity", Duration.ofSeconds(10)).release();
		String before = runId(1);

		redis.get(1).restart();
		String after = runId(1);
		assertThat(after).isNotEqualTo(before);

		await().atMost(GENEROUS).untilAsserted(() -> assertThat(changes).containsExactly(List.of(redis.get(1).uri(), before, after)));
		assertThat(errors).noneMatch((error) -> error.contains("same server"));
		Lock lock = redlock.acquire("locks:identity", Duration.ofSeconds(10));
		assertThat(lock.isHeld()).isTrue();
		lock.release();
	}

	private void build(List<String> nodes) {
		Redlock redlock = Redlock.builder().nodes(nodes).commandTimeout(COMMAND_TIMEOUT).build();
		this.closeables.add(redlock);
	}

	/** Connections on server 0, the admin connection included. */
	private long clientCount() {
		return this.admin.sync().clientList().lines().filter((line) -> !line.isBlank()).count();
	}

	private String runId() {
		return runId(0);
	}

	private String runId(int node) {
		RedisClient client = RedisClient.create();
		try (StatefulRedisConnection<String, String> connection = client.connect(RedisURI.create(redis.get(node).uri()))) {
			return connection.sync()
				.info("server")
				.lines()
				.filter((line) -> line.startsWith("run_id:"))
				.map((line) -> line.substring("run_id:".length()).trim())
				.findFirst()
				.orElseThrow();
		}
		finally {
			client.shutdown();
		}
	}

}
