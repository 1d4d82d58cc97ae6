package dev.redlock.benchmarks.scenarios;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.redlock.benchmarks.RunSettings;
import dev.redlock.benchmarks.contenders.ClusterNodesContender;
import dev.redlock.benchmarks.contenders.Contender;
import dev.redlock.benchmarks.contenders.RedlockContender;
import dev.redlock.benchmarks.contenders.SharedResources;
import dev.redlock.benchmarks.measure.CommandStats;
import dev.redlock.benchmarks.report.Result;
import dev.redlock.testkit.RedisCluster;
import dev.redlock.testkit.RedisServer;

/**
 * Scenario (b) again, distinct keys, with the core on three Redis Clusters of three masters
 * each against the core on the three standalone masters of the run, interleaved. On a machine
 * with fewer cores than Redis processes, sharding cannot show a speed-up: the ratio shows what
 * routing by slot costs per lock.
 */
public final class ClusterNodesScenario {

	/** The results' scenario name, apart from the main distinct-keys table. */
	public static final String SCENARIO = "distinct-keys-clusters";

	/** Masters in each cluster node. */
	public static final int MASTERS_PER_CLUSTER = 3;

	private final RunSettings settings;

	private final Progress<Contender> progress;

	public ClusterNodesScenario(RunSettings settings, Progress<Contender> progress) {
		this.settings = settings;
		this.progress = progress;
	}

	/** Both topologies idle at once, for as long as a few windows: their housekeeping, left out of the CPU per lock. */
	private void measureIdle(CommandStats masterStats, CommandStats clusterStats) {
		Duration idle = this.settings.isQuick() ? Duration.ofSeconds(1) : Duration.ofSeconds(2);
		Thread other = new Thread(() -> {
			try {
				clusterStats.measureIdle(idle);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}, "idle-clusters");
		other.start();
		try {
			masterStats.measureIdle(idle);
			other.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while measuring the idle nodes", ex);
		}
	}

	/** @param standalone the run's three standalone masters */
	public List<Result> run(List<String> standalone, SharedResources shared) {
		List<RedisCluster> clusters = new ArrayList<>();
		try {
			for (int i = 0; i < standalone.size(); i++) {
				clusters.add(RedisCluster.start(MASTERS_PER_CLUSTER));
			}
			List<String> clusterUris = clusters.stream().map(RedisCluster::uri).toList();
			List<String> clusterMasters = clusters.stream()
				.flatMap((cluster) -> cluster.masters().stream())
				.map(RedisServer::uri)
				.toList();
			Contender masters = RedlockContender.withNotifications();
			Contender clustered = new ClusterNodesContender(clusterUris);
			List<Result> results = new ArrayList<>();
			// Each contender's commands and CPU are read on its own servers only: the other
			// topology's servers idle meanwhile, and their housekeeping is nobody's lock.
			try (CommandStats masterStats = new CommandStats(standalone, shared.lettuce());
					CommandStats clusterStats = new CommandStats(clusterMasters, shared.lettuce())) {
				measureIdle(masterStats, clusterStats);
				for (int threads : RunSettings.DISTINCT_KEY_THREADS) {
					results.addAll(new DistinctKeysScenario(this.settings, this.progress).run(SCENARIO,
							List.of(masters, clustered), standalone, threads, shared,
							(contender) -> (contender == clustered) ? clusterStats : masterStats));
				}
			}
			return results;
		}
		finally {
			clusters.forEach(RedisCluster::close);
		}
	}

}
