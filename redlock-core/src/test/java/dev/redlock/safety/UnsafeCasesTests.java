package dev.redlock.safety;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import dev.redlock.Lock;
import dev.redlock.LockAcquisitionException;
import dev.redlock.LockExtensionException;
import dev.redlock.NodeInspector;
import dev.redlock.Redlock;
import dev.redlock.RedlockBuilder;
import dev.redlock.RedlockException;
import dev.redlock.testkit.FaultProxies;
import dev.redlock.testkit.RedisServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The two situations the Redlock algorithm is known not to survive unharmed, shown as they
 * happen (see {@code docs/safety.md}). These tests assert what really happens, including a
 * second holder where the algorithm's assumptions are broken: they document limits, they do
 * not hide them.
 */
class UnsafeCasesTests {

	private static final Duration GENEROUS = Duration.ofSeconds(30);

	private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(250);

	private final List<Redlock> redlocks = new ArrayList<>();

	private RedisServers servers;

	private FaultProxies proxies;

	private NodeInspector nodes;

	@BeforeEach
	void start() {
		this.servers = RedisServers.start(3);
		this.proxies = FaultProxies.to(this.servers);
		this.nodes = new NodeInspector(this.servers);
	}

	@AfterEach
	void stop() {
		this.redlocks.forEach(Redlock::close);
		this.nodes.close();
		this.proxies.close();
		this.servers.close();
	}

	/**
	 * A node restarted at once, empty (no persistence), forgets the keys it held. If it was
	 * part of the holder's bare majority, a second client can then get a majority of its own
	 * while the first still holds the lock: two holders. This is the case antirez's analysis
	 * answers with delayed restarts (or fsync on every write).
	 */
	@Test
	void anEmptyNodeBackAtOnceLetsASecondHolderIn() {
		Redlock first = redlock(Redlock.builder());
		Redlock second = redlock(Redlock.builder());
		// The first holder's majority is exactly nodes 0 and 1: node 2 is down as it locks.
		this.servers.get(2).kill();
		Lock a = first.acquire("locks:restart", Duration.ofSeconds(60));
		awaitValue(0, "locks:restart", a.value());
		awaitValue(1, "locks:restart", a.value());
		// Node 2 comes back (it never had the key), and node 1 crashes and is restarted at once.
		this.servers.get(2).restart();
		this.servers.get(1).kill();
		this.servers.get(1).restart();

		Lock b = second.acquire(List.of("locks:restart"), Duration.ofSeconds(60), GENEROUS);

		assertThat(a.isHeld()).as("the first holder still holds, by its own clock and by the rules").isTrue();
		assertThat(b.isHeld()).as("and a second client holds the same lock: the known limitation").isTrue();
		assertThat(b.value()).isNotEqualTo(a.value());
		assertThat(this.nodes.get(0, "locks:restart")).isEqualTo(a.value());
		awaitValue(1, "locks:restart", b.value());
		awaitValue(2, "locks:restart", b.value());
	}

	/**
	 * The same crash, but the node comes back only after the longest ttl: by then the holder's
	 * lock has expired everywhere anyway, so the empty node grants nothing that was not free.
	 */
	@Test
	void anEmptyNodeBackAfterTheTtlLetsNobodyInEarly() {
		Duration ttl = Duration.ofSeconds(2);
		Redlock first = redlock(Redlock.builder());
		Redlock second = redlock(Redlock.builder().retryCount(0));
		this.servers.get(2).kill();
		Lock a = first.acquire("locks:delayed", ttl);
		awaitValue(1, "locks:delayed", a.value());
		this.servers.get(2).restart();
		this.servers.get(1).kill();

		// While node 1 stays down, the first holder's key on node 0 keeps everyone else out.
		assertThat(a.isHeld()).isTrue();
		assertThatExceptionOfType(LockAcquisitionException.class)
			.isThrownBy(() -> second.acquire("locks:delayed", ttl));

		await().atMost(GENEROUS).until(() -> !a.isHeld() && this.nodes.get(0, "locks:delayed") == null);
		this.servers.get(1).restart();
		Lock b = second.acquire(List.of("locks:delayed"), ttl, GENEROUS);
		assertThat(a.isHeld()).as("the first holder's lock had run out before anyone else got it").isFalse();
		assertThat(b.isHeld()).isTrue();
	}

	/**
	 * A majority cut off from a holder: it cannot extend, is told it lost the lock, and nobody
	 * else can acquire it either, until the partition heals. Safety holds; liveness waits.
	 */
	@Test
	void aMajorityPartitionedAwayStopsEveryoneUntilHealed() {
		AtomicReference<RedlockException> lost = new AtomicReference<>();
		Redlock holder = redlock(Redlock.builder().automaticExtensionThreshold(Duration.ofMillis(400)));
		Redlock other = redlock(Redlock.builder().retryDelay(Duration.ofMillis(50)));
		Lock a = holder.acquire("locks:partition", Duration.ofSeconds(1)).autoExtend();
		a.onLost(lost::set);

		this.proxies.get(0).blackhole();
		this.proxies.get(1).blackhole();

		await().atMost(GENEROUS).until(() -> lost.get() != null);
		assertThat(a.isHeld()).isFalse();
		assertThat(lost.get()).isInstanceOf(LockExtensionException.class);
		assertThatExceptionOfType(LockExtensionException.class).isThrownBy(a::throwIfLost);
		assertThatExceptionOfType(LockExtensionException.class).isThrownBy(() -> a.extend(Duration.ofSeconds(1)));
		assertThatExceptionOfType(LockAcquisitionException.class)
			.isThrownBy(() -> other.acquire(List.of("locks:partition"), Duration.ofSeconds(1), Duration.ofSeconds(2)))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(LockAcquisitionException.Reason.QUORUM_UNREACHABLE));
		// Released while cut off: the release reaches the majority only once the partition heals.
		a.release();

		this.proxies.healAll();
		Lock b = other.acquire(List.of("locks:partition"), Duration.ofSeconds(10), GENEROUS);
		assertThat(b.isHeld()).isTrue();
		// A majority holds the new token. Not always every node: commands held by the partition
		// arrive late, and a late undo of an earlier attempt may still be on its way to one.
		assertThat(this.nodes.valuesOnRunningNodes("locks:partition")).filteredOn(b.value()::equals)
			.hasSizeGreaterThanOrEqualTo(2);
		assertThat(holder.tryAcquire("locks:partition", Duration.ofSeconds(1))).as("and it is exclusive again").isEmpty();
	}

	private void awaitValue(int node, String key, String value) {
		await().atMost(GENEROUS).until(() -> Objects.equals(this.nodes.get(node, key), value));
	}

	private Redlock redlock(RedlockBuilder builder) {
		Redlock redlock = builder.nodes(this.proxies.uris()).commandTimeout(COMMAND_TIMEOUT).build();
		this.redlocks.add(redlock);
		return redlock;
	}

}
