package dev.redlock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.redlock.testkit.RedisCluster;
import dev.redlock.testkit.RedisClusterExtension;
import dev.redlock.testkit.RedisServer;
import dev.redlock.testkit.SlotMigration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What is particular to nodes that are whole Redis Clusters: a lock on keys of different slots
 * (different shards) is one all-or-nothing vote per cluster, never a {@code CROSSSLOT} error,
 * and a cluster that granted some slot groups and refused another undoes what it granted; a
 * resharding under a held lock, whole or stopped half-way, changes nothing for the holder or for
 * the others.
 */
class ClusterLockTests {

	private static final Duration GENEROUS = Duration.ofSeconds(30);

	@RegisterExtension
	static final RedisClusterExtension clusters = RedisClusterExtension.clusters(3, 3);

	private final List<Redlock> redlocks = new ArrayList<>();

	/** Every error any node reported to any Redlock of the test. */
	private final List<Throwable> clientErrors = new CopyOnWriteArrayList<>();

	private List<TestNode> testNodes;

	private NodeInspector nodes;

	@BeforeEach
	void inspect() {
		this.testNodes = clusters.clusters().stream().map(TestNode::of).toList();
		this.nodes = new NodeInspector(this.testNodes);
	}

	@AfterEach
	void closeAll() {
		this.redlocks.forEach(Redlock::close);
		this.nodes.close();
	}

	@Test
	void locksKeysOnEveryShardAsOneVotePerCluster() {
		List<String> keys = keysOnDistinctMasters(clusters.get(0));
		Lock lock = redlock(3).acquire(keys, Duration.ofSeconds(10));
		for (String key : keys) {
			this.nodes.awaitEverywhere(key, lock.value());
		}
		assertThat(lock.extend(Duration.ofSeconds(10)).isHeld()).isTrue();
		assertThat(lock.check()).isTrue();
		assertThat(redlock(0).tryAcquire(keys.get(2), Duration.ofSeconds(10))).isEmpty();
		lock.release();
		for (String key : keys) {
			this.nodes.awaitEverywhere(key, null);
		}
		assertThat(this.clientErrors).isEmpty();
	}

	@Test
	void aClusterRefusingOneShardUndoesTheSlotGroupsItGranted() {
		List<String> keys = keysOnDistinctMasters(clusters.get(0));
		String taken = keys.get(1);
		// Clusters 0 and 1 (a majority) hold the middle key for someone else, on one shard.
		this.nodes.set(0, taken, "someone-else");
		this.nodes.set(1, taken, "someone-else");
		assertThatExceptionOfType(LockAcquisitionException.class)
			.isThrownBy(() -> redlock(0).acquire(keys, Duration.ofSeconds(10)))
			.satisfies((ex) -> {
				assertThat(ex.reason()).isEqualTo(LockAcquisitionException.Reason.HELD_BY_ANOTHER_OWNER);
				assertThat(ex.attempts()).singleElement().satisfies((attempt) -> {
					// Refused, not failed: no CROSSSLOT error, whichever shards the keys are on.
					assertThat(attempt.votes().subList(0, 2)).extracting(NodeVote::vote)
						.containsOnly(NodeVote.Vote.REFUSED);
					// Cluster 2 granted, unless the outcome was certain before it answered.
					assertThat(attempt.votes().get(2).vote()).isNotEqualTo(NodeVote.Vote.REFUSED);
					assertThat(attempt.votes()).extracting(String::valueOf).noneMatch((vote) -> vote.contains("CROSSSLOT"));
				});
			});
		// A refusing cluster votes only once it has undone its granted groups: nothing to wait for.
		for (int cluster = 0; cluster < 2; cluster++) {
			assertThat(this.nodes.get(cluster, keys.get(0))).as("cluster %d", cluster).isNull();
			assertThat(this.nodes.get(cluster, keys.get(2))).as("cluster %d", cluster).isNull();
			assertThat(this.nodes.get(cluster, taken)).isEqualTo("someone-else");
			assertThat(this.nodes.keys(cluster)).containsExactly(taken);
		}
		// The cluster that granted everything is undone by the failed round.
		await().atMost(GENEROUS).untilAsserted(() -> assertThat(this.nodes.keys(2)).isEmpty());
		assertThat(this.clientErrors).isEmpty();
	}

	@Test
	void aReshardingUnderAHeldLockChangesNothingForItsHolder() {
		String key = "locks:reshard";
		int slot = RedisCluster.slotOf(key);
		Redlock other = redlock(0);
		Lock lock = redlock(3).acquire(key, Duration.ofSeconds(10));
		this.nodes.awaitEverywhere(key, lock.value());

		// Cluster 0: the slot moves to another master, keys and all.
		RedisCluster whole = clusters.get(0);
		RedisServer wholeTarget = anotherMaster(whole, key);
		whole.migrateSlot(slot, wholeTarget);
		assertThat(whole.masterFor(key)).isEqualTo(wholeTarget);
		assertThat(this.nodes.get(0, key)).isEqualTo(lock.value());
		stillHeldAndRefusedToOthers(lock, other, key);

		// Cluster 1: the slot migrating, the key still on the source.
		RedisCluster halfway = clusters.get(1);
		SlotMigration migration = halfway.beginMigration(slot, anotherMaster(halfway, key));
		stillHeldAndRefusedToOthers(lock, other, key);
		// The key moved: the source answers -ASK for it.
		assertThat(migration.moveKeys()).isEqualTo(1);
		assertThat(this.nodes.get(1, key)).isEqualTo(lock.value());
		stillHeldAndRefusedToOthers(lock, other, key);
		migration.complete();
		stillHeldAndRefusedToOthers(lock, other, key);

		// Cluster 2: left half-way, key moved, while the lock is released.
		RedisCluster leftHalfway = clusters.get(2);
		leftHalfway.beginMigration(slot, anotherMaster(leftHalfway, key)).moveKeys();
		stillHeldAndRefusedToOthers(lock, other, key);

		lock.release();
		this.nodes.awaitEverywhere(key, null);
		assertThat(other.tryAcquire(key, Duration.ofSeconds(10))).isPresent();
		assertThat(this.clientErrors).isEmpty();
	}

	private void stillHeldAndRefusedToOthers(Lock lock, Redlock other, String key) {
		assertThat(lock.extend(Duration.ofSeconds(10)).remainingValidity()).isGreaterThan(Duration.ofSeconds(5));
		assertThat(lock.check()).isTrue();
		assertThat(other.tryAcquire(key, Duration.ofSeconds(10))).isEmpty();
		// Extended everywhere, wherever the key lives now.
		for (int i = 0; i < this.testNodes.size(); i++) {
			int node = i;
			await().atMost(GENEROUS).untilAsserted(() -> {
				assertThat(this.nodes.get(node, key)).isEqualTo(lock.value());
				assertThat(this.nodes.pttl(node, key)).isGreaterThan(5_000L);
			});
		}
	}

	private static RedisServer anotherMaster(RedisCluster cluster, String key) {
		RedisServer owner = cluster.masterFor(key);
		return cluster.masters().stream().filter((master) -> !master.equals(owner)).findFirst().orElseThrow();
	}

	/** Three keys served by three different masters (the clusters share one slot layout). */
	private static List<String> keysOnDistinctMasters(RedisCluster cluster) {
		List<String> keys = new ArrayList<>();
		List<RedisServer> owners = new ArrayList<>();
		for (int i = 0; keys.size() < 3 && i < 1000; i++) {
			String key = "locks:multi:" + i;
			RedisServer owner = cluster.masterFor(key);
			if (!owners.contains(owner)) {
				owners.add(owner);
				keys.add(key);
			}
		}
		assertThat(keys).hasSize(3);
		return keys;
	}

	private Redlock redlock(int retryCount) {
		Redlock redlock = Redlock.builder()
			.nodes(TestNode.uris(this.testNodes))
			.retryCount(retryCount)
			.retryDelay(Duration.ofMillis(20))
			.retryJitter(Duration.ofMillis(10))
			.commandTimeout(Duration.ofSeconds(1))
			.listener(new RedlockListener() {
				@Override
				public void onClientError(String node, Throwable error) {
					ClusterLockTests.this.clientErrors.add(error);
				}
			})
			.build();
		this.redlocks.add(redlock);
		return redlock;
	}

}
