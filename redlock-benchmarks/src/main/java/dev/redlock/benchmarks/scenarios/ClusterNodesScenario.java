package dev.redlock.benchmarks.scenarios;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

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

	private final RunSettings settings;

	private final Progress<Contender> progress;

	public ClusterNodesScenario(RunSettings settings, Progress<Contender> progress) {
		this.settings = settings;
		this.progress = progress;
	}

	/** @param standalone the run's three standalone masters */
	public List<Result> run(List<String> standalone, SharedResources shared) {
		List<RedisCluster> clusters = new ArrayList<>();
		try {
			for (int i = 0; i < standalone.size(); i++) {
				clusters.add(RedisCluster.start(3));
			}
			List<String> clusterUris = clusters.stream().map(RedisCluster::uri).toList();
			List<String> everyServer = Stream.concat(standalone.stream(),
					clusters.stream().flatMap((cluster) -> cluster.masters().stream()).map(RedisServer::uri))
				.toList();
			List<Contender> contenders = List.of(RedlockContender.withNotifications(), new ClusterNodesContender(clusterUris));
			List<Result> results = new ArrayList<>();
			try (CommandStats stats = new CommandStats(everyServer, shared.lettuce())) {
				for (int threads : RunSettings.DISTINCT_KEY_THREADS) {
					results.addAll(new DistinctKeysScenario(this.settings, this.progress).run(SCENARIO, contenders, standalone,
							threads, shared, stats));
				}
			}
			return results;
		}
		finally {
			clusters.forEach(RedisCluster::close);
		}
	}

}
