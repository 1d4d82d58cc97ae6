package dev.redlock.testkit;

import static dev.redlock.testkit.Probes.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RedisClusterTest {

	private static final List<String> KEYS = List.of("locks:account:1", "foo", "{user1000}.following",
			"{user1000}.followers", "a{}b", "{}", "x{y", "über");

	@Test
	void threeMastersReachOkAndMasterForAgreesWithTheCluster() {
		List<Long> pids;
		try (RedisCluster cluster = RedisCluster.start(3)) {
			pids = cluster.members().stream().map(RedisServer::pid).toList();
			assertThat(cluster.members()).hasSize(3);
			assertThat(cluster.masters()).containsExactlyElementsOf(cluster.members());
			assertThat(cluster.replicas()).isEmpty();
			assertThat(cluster.seeds()).allMatch(seed -> seed.matches("127\\.0\\.0\\.1:\\d+"));
			assertThat(cluster.uri()).isEqualTo("redis-cluster://" + String.join(",", cluster.seeds()));
			cluster.members().forEach(member -> {
				assertThat(call(member, "CLUSTER", "INFO")).contains("cluster_state:ok");
				assertThat(member.port() + 10_000).isLessThanOrEqualTo(65_535);
			});

			for (String key : KEYS) {
				int slot = RedisCluster.slotOf(key);
				assertThat(call(cluster.members().get(0), "CLUSTER", "KEYSLOT", key)).as(key).isEqualTo(":" + slot);
				RedisServer owner = cluster.masterFor(key);
				assertThat(call(owner, "SET", key, "v")).as(key).isEqualTo("+OK");
				for (RedisServer other : cluster.masters()) {
					if (other != owner) {
						assertThat(call(other, "SET", key, "v")).as(key)
								.isEqualTo("-MOVED " + slot + " 127.0.0.1:" + owner.port());
					}
				}
			}
			assertThat(RedisCluster.slotOf("{user1000}.following")).isEqualTo(RedisCluster.slotOf("user1000"));
			assertThat(RedisCluster.slotOf("foo")).isEqualTo(12182);
		}
		assertThat(pids).allMatch(Probes::isGone);
	}

	@Test
	void killShardPromotesAReplicaThatKeepsTheData() {
		try (RedisCluster cluster = RedisCluster.start(3, 1)) {
			assertThat(cluster.members()).hasSize(6);
			assertThat(cluster.masters()).hasSize(3);
			assertThat(cluster.replicas()).hasSize(3);
			String key = "locks:account:7";
			RedisServer master = cluster.masterFor(key);
			assertThat(call(master, "SET", key, "token", "PX", "60000")).isEqualTo("+OK");
			assertThat(call(master, "WAIT", "1", "5000")).as("acknowledged by its replica").isEqualTo(":1");

			Optional<RedisServer> promoted = cluster.killShard(master);

			assertThat(master.isRunning()).isFalse();
			assertThat(promoted).isPresent();
			assertThat(cluster.masterFor(key)).isSameAs(promoted.get());
			assertThat(call(promoted.get(), "GET", key)).isEqualTo("$token");
			assertThat(cluster.masters()).hasSize(3).contains(promoted.get()).doesNotContain(master);
			assertThat(cluster.replicas()).hasSize(2);
			cluster.members().stream().filter(RedisServer::isRunning)
					.forEach(member -> assertThat(call(member, "CLUSTER", "INFO")).contains("cluster_state:ok"));
		}
	}

	@Test
	void killShardWithoutReplicaLeavesTheClusterFailed() {
		try (RedisCluster cluster = RedisCluster.start(3)) {
			RedisServer master = cluster.masterFor("k");

			assertThat(cluster.killShard(master)).isEmpty();

			RedisServer survivor = cluster.members().stream().filter(RedisServer::isRunning).findFirst().orElseThrow();
			assertThat(call(survivor, "CLUSTER", "NODES")).contains("127.0.0.1:" + master.port() + "@")
					.containsPattern("127\\.0\\.0\\.1:" + master.port() + "@\\d+ master,fail ");
		}
	}

	@Test
	void migrateSlotMovesTheKeyWithItsExpiry() {
		try (RedisCluster cluster = RedisCluster.start(3)) {
			String key = "locks:account:1";
			int slot = RedisCluster.slotOf(key);
			RedisServer source = cluster.masterFor(key);
			RedisServer target = cluster.masters().stream().filter(master -> master != source).findFirst().orElseThrow();
			// Colliding epochs resolved in the middle of the migration could give the slot back to the source.
			cluster.members().forEach(member -> assertThat(ClusterNode.seenBy(member))
					.as("config epochs seen by %s", member).extracting(ClusterNode::configEpoch)
					.doesNotHaveDuplicates().doesNotContain(0L));
			assertThat(call(source, "SET", key, "token", "PX", "60000")).isEqualTo("+OK");

			cluster.migrateSlot(slot, target);

			assertThat(cluster.masterFor(key)).isSameAs(target);
			assertThat(call(target, "GET", key)).isEqualTo("$token");
			assertThat(Long.parseLong(call(target, "PTTL", key).substring(1))).isBetween(1L, 60_000L);
			assertThat(call(source, "GET", key)).isEqualTo("-MOVED " + slot + " 127.0.0.1:" + target.port());
			cluster.members().forEach(member -> assertThat(call(member, "CLUSTER", "INFO")).contains("cluster_state:ok"));

			cluster.migrateSlot(slot, target);
			assertThat(cluster.masterFor(key)).isSameAs(target);
		}
	}

	@Test
	void aMigrationStoppedHalfWayRedirectsWithAsk() throws IOException {
		try (RedisCluster cluster = RedisCluster.start(2)) {
			String key = "locks:a";
			int slot = RedisCluster.slotOf(key);
			RedisServer source = cluster.masterFor(key);
			RedisServer target = cluster.masters().stream().filter(master -> master != source).findFirst().orElseThrow();
			call(source, "SET", key, "token", "PX", "60000");

			SlotMigration migration = cluster.beginMigration(slot, target);
			assertThat(call(source, "GET", key)).as("keys not moved yet are served").isEqualTo("$token");
			assertThat(call(source, "GET", "{locks:a}other")).isEqualTo("-ASK " + slot + " 127.0.0.1:" + target.port());

			assertThat(migration.moveKeys()).isEqualTo(1);
			assertThat(call(source, "GET", key)).isEqualTo("-ASK " + slot + " 127.0.0.1:" + target.port());
			assertThat(call(target, "GET", key)).isEqualTo("-MOVED " + slot + " 127.0.0.1:" + source.port());
			try (RespClient client = RespClient.connect(target.host(), target.port(), Probes.TIMEOUT)) {
				assertThat(client.call("ASKING").text()).isEqualTo("OK");
				assertThat(client.call("GET", key).text()).isEqualTo("token");
			}

			migration.complete();
			assertThat(call(source, "GET", key)).isEqualTo("-MOVED " + slot + " 127.0.0.1:" + target.port());
			assertThat(cluster.masterFor(key)).isSameAs(target);
			assertThatThrownBy(() -> cluster.beginMigration(slot, target)).isInstanceOf(IllegalArgumentException.class);
		}
	}

	@Test
	void worksWithAPassword() {
		try (RedisCluster cluster = RedisCluster.builder().masters(2).replicasPerMaster(1)
				.args("--requirepass", "s3cret", "--masterauth", "s3cret").start()) {
			RedisServer owner = cluster.masterFor("k");
			assertThat(call(owner, "GET", "k")).startsWith("-NOAUTH");
			owner.call("SET", "k", "v");
			RedisServer target = cluster.masters().stream().filter(master -> master != owner).findFirst().orElseThrow();

			cluster.migrateSlot(RedisCluster.slotOf("k"), target);

			assertThat(target.call("GET", "k").text()).isEqualTo("v");
			assertThat(cluster.uri()).doesNotContain("s3cret");
		}
	}

	@Test
	void aFailedStartLeavesNothingRunning() throws IOException {
		long before = pidFiles();

		assertThatThrownBy(() -> RedisCluster.builder().masters(2).args("--no-such-option", "1").start())
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("no-such-option");
		assertThatThrownBy(() -> RedisCluster.builder().masters(2).args("--cluster-enabled", "no").start())
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("cluster support disabled");

		assertThat(pidFiles()).isEqualTo(before);
	}

	private static long pidFiles() throws IOException {
		try (Stream<Path> files = Files.list(ProcessReaper.directory())) {
			return files.filter(file -> file.toString().endsWith(".pid")).count();
		}
	}
}
