package dev.redlock.benchmarks.contenders;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;

/**
 * The floor's client: one connection per node, the compare-and-delete script loaded once.
 * An attempt sends {@code SET NX PX} to every node at once and returns as soon as a majority
 * granted; a lost attempt waits for every answer and deletes its key where it was granted,
 * then backs off for 100 to 200 µs.
 */
final class FloorClient implements LockClient {

	private static final String RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then "
			+ "return redis.call('del', KEYS[1]) else return 0 end";

	/** Only for a hung node, which a local benchmark never has: the floor keeps no timeouts. */
	private static final long ANSWER_TIMEOUT_SECONDS = 10;

	private final List<RedisClient> clients = new ArrayList<>();

	private final List<RedisAsyncCommands<String, String>> nodes = new ArrayList<>();

	private final int quorum;

	private final String releaseSha;

	FloorClient(List<String> uris, ClientResources resources) {
		String sha = null;
		for (String uri : uris) {
			RedisClient client = RedisClient.create(resources, RedisURI.create(uri));
			this.clients.add(client);
			StatefulRedisConnection<String, String> connection = client.connect(StringCodec.UTF8);
			this.nodes.add(connection.async());
			sha = connection.sync().scriptLoad(RELEASE);
		}
		this.quorum = uris.size() / 2 + 1;
		this.releaseSha = sha;
	}

	@Override
	public Held acquire(String key, Duration ttl, Duration maxWait) throws Exception {
		long deadline = System.nanoTime() + maxWait.toNanos();
		long ttlNanos = ttl.toNanos();
		long drift = ttlNanos / 100 + 2_000_000L;
		while (true) {
			String token = token();
			long startedAt = System.nanoTime();
			Votes votes = new Votes(this.nodes.size(), this.quorum);
			SetArgs args = SetArgs.Builder.nx().px(ttl.toMillis());
			for (int i = 0; i < this.nodes.size(); i++) {
				int node = i;
				this.nodes.get(i).set(key, token, args).whenComplete((reply, ex) -> votes.record(node, "OK".equals(reply)));
			}
			boolean won = votes.decided.get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
			if (won && ttlNanos - (System.nanoTime() - startedAt) - drift > 0) {
				return () -> release(key, token, allNodes());
			}
			votes.answered.get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
			release(key, token, votes.granted());
			if (System.nanoTime() >= deadline) {
				return null;
			}
			LockSupport.parkNanos(100_000L + ThreadLocalRandom.current().nextLong(100_000L));
		}
	}

	private void release(String key, String token, List<Integer> where) throws Exception {
		CompletableFuture<?>[] replies = new CompletableFuture<?>[where.size()];
		String[] keys = { key };
		for (int i = 0; i < replies.length; i++) {
			replies[i] = this.nodes.get(where.get(i))
				.evalsha(this.releaseSha, ScriptOutputType.INTEGER, keys, token)
				.toCompletableFuture();
		}
		CompletableFuture.allOf(replies).get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
	}

	private List<Integer> allNodes() {
		List<Integer> all = new ArrayList<>(this.nodes.size());
		for (int i = 0; i < this.nodes.size(); i++) {
			all.add(i);
		}
		return all;
	}

	/** 128 random bits: unique enough for a benchmark, and the cheapest way to get them. */
	private static String token() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		return Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
	}

	@Override
	public void close() {
		for (RedisClient client : this.clients) {
			client.shutdown(0, 2, TimeUnit.SECONDS);
		}
	}

	/** The votes of one attempt: decided at a majority of grants, or once a majority is out of reach. */
	private static final class Votes {

		private final int nodes;

		private final int quorum;

		private final boolean[] grants;

		private final AtomicInteger granted = new AtomicInteger();

		private final AtomicInteger answers = new AtomicInteger();

		private final CompletableFuture<Boolean> decided = new CompletableFuture<>();

		private final CompletableFuture<Void> answered = new CompletableFuture<>();

		Votes(int nodes, int quorum) {
			this.nodes = nodes;
			this.quorum = quorum;
			this.grants = new boolean[nodes];
		}

		void record(int node, boolean grant) {
			if (grant) {
				// Written before the counter that publishes it.
				this.grants[node] = true;
			}
			int yes = grant ? this.granted.incrementAndGet() : this.granted.get();
			int all = this.answers.incrementAndGet();
			if (yes >= this.quorum) {
				this.decided.complete(true);
			}
			else if (yes + (this.nodes - all) < this.quorum) {
				this.decided.complete(false);
			}
			if (all == this.nodes) {
				this.answered.complete(null);
			}
		}

		/** Where the key was set; read only after every node answered. */
		List<Integer> granted() {
			List<Integer> where = new ArrayList<>();
			for (int i = 0; i < this.nodes; i++) {
				if (this.grants[i]) {
					where.add(i);
				}
			}
			return where;
		}

	}

}
