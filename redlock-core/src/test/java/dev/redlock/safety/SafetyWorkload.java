package dev.redlock.safety;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Collectors;

import dev.redlock.Lock;
import dev.redlock.LockAcquisitionException;
import dev.redlock.Redlock;
import dev.redlock.RedlockException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * What every client of the safety suite does, in the test's JVM and in the second one alike:
 * take a lock, then do a deliberately non-atomic read-modify-write (GET, a short pause, SET) of
 * a counter kept on a separate Redis server that no fault touches. Two holders at once would
 * both read the same value and one increment would be lost.
 *
 * <p>
 * Overlaps are also caught as they happen: inside the critical section a client sets an owner
 * key with SET NX and deletes it (if still its own) on the way out, so a failed SET NX means
 * somebody else was inside. Before writing, a client checks that its lock is still valid for
 * a good while, as any correct client must: a lock that ran out is not a lock.
 *
 * <p>
 * Every holder also takes its lock's fencing token and writes through a {@link FencedStore}.
 * One client in each process pauses past its ttl in every {@link #PAUSE_EVERY}th critical
 * section before it writes there: the fenced store must refuse those writes once somebody
 * else has written after them.
 */
final class SafetyWorkload {

	/** Lock keys, one per counter; two resources, so clients contend but not all on one key. */
	static final String LOCK_PREFIX = "safety:lock:";

	static final String COUNTER_PREFIX = "safety:counter:";

	static final String OWNER_PREFIX = "safety:owner:";

	static final int RESOURCES = 2;

	/** The lock ttl: killed nodes come back only after it, so their lost keys had expired anyway. */
	static final Duration TTL = Duration.ofSeconds(4);

	/** Per-node timeout: a paused or blackholed node costs this, never a hang. */
	static final Duration COMMAND_TIMEOUT = Duration.ofMillis(250);

	/** How long one acquisition may keep trying. */
	static final Duration MAX_WAIT = Duration.ofSeconds(3);

	/**
	 * How much validity a holder wants left before it writes. Generous on purpose: a JVM stalled
	 * longer than this between the check and the write is Kleppmann's paused client, which no
	 * lock without fencing can stop, and which this suite is not about.
	 */
	static final Duration COMMIT_MARGIN = Duration.ofMillis(1500);

	/** In the clients that pause, every how many critical sections one pauses past its ttl. */
	static final int PAUSE_EVERY = 5;

	private static final String COMPARE_AND_DELETE = "if redis.call('get', KEYS[1]) == ARGV[1] then "
			+ "return redis.call('del', KEYS[1]) else return 0 end";

	private final List<String> nodes;

	private final String counterUri;

	private final String name;

	private final int clients;

	private final long endAtMillis;

	private final AtomicLong acquisitions = new AtomicLong();

	private final AtomicLong timeouts = new AtomicLong();

	private final AtomicLong overlaps = new AtomicLong();

	private final AtomicLong abandoned = new AtomicLong();

	private final AtomicLongArray sections = new AtomicLongArray(RESOURCES);

	private final List<String> errors = new ArrayList<>();

	private final FencedStore fenced;

	private final int pauseEvery;

	/**
	 * @param nodes the lock nodes' URIs (through the fault proxies)
	 * @param counterUri the separate server of the counters
	 * @param name tells this process's clients from another's in owner keys
	 * @param clients how many clients, each a Redlock of its own on a thread of its own
	 * @param endAtMillis when to stop, as wall-clock epoch milliseconds, shared by both JVMs
	 */
	SafetyWorkload(List<String> nodes, String counterUri, String name, int clients, long endAtMillis) {
		this(nodes, counterUri, name, clients, endAtMillis, true, PAUSE_EVERY);
	}

	/**
	 * @param checkTokens whether the fenced store checks tokens; without, stale writes get in
	 * @param pauseEvery in the second client, every how many critical sections one pauses past
	 * its ttl before it writes through the fence, as a client in a long GC pause would
	 */
	SafetyWorkload(List<String> nodes, String counterUri, String name, int clients, long endAtMillis, boolean checkTokens,
			int pauseEvery) {
		this.fenced = new FencedStore(checkTokens);
		this.pauseEvery = pauseEvery;
		this.nodes = List.copyOf(nodes);
		this.counterUri = counterUri;
		this.name = name;
		this.clients = clients;
		this.endAtMillis = endAtMillis;
	}

	/** Runs the clients until the end time and returns what they did. */
	Counts run() throws InterruptedException {
		RedisClient counterClient = RedisClient.create(RedisURI.create(this.counterUri));
		List<Thread> threads = new ArrayList<>();
		try {
			for (int i = 0; i < this.clients; i++) {
				String client = this.name + "-" + i;
				// Half the clients wait for their releases, half do not: a release waits for the
				// slowest reachable node, and both ways of using it must be safe.
				boolean waitForRelease = i % 2 == 0;
				boolean pauses = i == 1;
				Thread thread = new Thread(() -> runClient(client, waitForRelease, pauses, counterClient),
						"safety-" + client);
				thread.setDaemon(true);
				threads.add(thread);
				thread.start();
			}
			// Each client ends on its own at the end time, after at most one more acquisition.
			long bound = TimeUnit.MILLISECONDS.toNanos(Math.max(0, this.endAtMillis - System.currentTimeMillis()))
					+ MAX_WAIT.toNanos() + TimeUnit.SECONDS.toNanos(60);
			long deadline = System.nanoTime() + bound;
			for (Thread thread : threads) {
				thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
				if (thread.isAlive()) {
					error(thread.getName() + " did not stop in time");
				}
			}
		}
		finally {
			counterClient.shutdown();
		}
		return counts();
	}

	Counts counts() {
		long[] perResource = new long[RESOURCES];
		for (int i = 0; i < RESOURCES; i++) {
			perResource[i] = this.sections.get(i);
		}
		synchronized (this.errors) {
			return new Counts(this.acquisitions.get(), perResource, this.overlaps.get(), this.abandoned.get(),
					this.timeouts.get(), this.fenced.figures(), List.copyOf(this.errors));
		}
	}

	private void runClient(String client, boolean waitForRelease, boolean pauses, RedisClient counterClient) {
		try (Redlock redlock = Redlock.builder()
			.nodes(this.nodes)
			.commandTimeout(COMMAND_TIMEOUT)
			.retryDelay(Duration.ofMillis(50))
			.retryJitter(Duration.ofMillis(50))
			.build(); StatefulRedisConnection<String, String> connection = counterClient.connect()) {
			connection.setTimeout(Duration.ofSeconds(10));
			RedisCommands<String, String> counter = connection.sync();
			ThreadLocalRandom random = ThreadLocalRandom.current();
			long held = 0;
			while (System.currentTimeMillis() < this.endAtMillis) {
				int resource = random.nextInt(RESOURCES);
				Lock lock;
				try {
					lock = redlock.acquire(List.of(LOCK_PREFIX + resource), TTL, MAX_WAIT);
				}
				catch (LockAcquisitionException ex) {
					// Faults may hold up a quorum for longer than the wait: liveness, not safety.
					this.timeouts.incrementAndGet();
					continue;
				}
				this.acquisitions.incrementAndGet();
				held++;
				try {
					long token;
					try {
						token = lock.fencingToken();
					}
					catch (RedlockException ex) {
						// Faults may take the quorum away between the acquisition and the token.
						this.fenced.noToken();
						continue;
					}
					if (pauses && this.pauseEvery > 0 && held % this.pauseEvery == 0) {
						pausedSection(resource, lock, token, counter);
					}
					else {
						criticalSection(client, resource, lock, token, counter);
					}
				}
				finally {
					if (waitForRelease) {
						lock.release();
					}
					else {
						lock.releaseAsync();
					}
				}
				Thread.sleep(1 + random.nextInt(5));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException ex) {
			error(client + " failed: " + ex);
		}
	}

	private void criticalSection(String client, int resource, Lock lock, long token,
			RedisCommands<String, String> counter) throws InterruptedException {
		String me = client + "/" + lock.value();
		String ownerKey = OWNER_PREFIX + resource;
		// A long expiry only so that a client that died inside cannot block the detector forever.
		boolean alone = "OK".equals(counter.set(ownerKey, me, SetArgs.Builder.nx().px(60_000)));
		if (!alone) {
			this.overlaps.incrementAndGet();
			error("overlap on " + LOCK_PREFIX + resource + ": " + client + " entered while " + counter.get(ownerKey)
					+ " was inside");
		}
		try {
			if (lock.remainingValidity().compareTo(COMMIT_MARGIN) < 0) {
				this.abandoned.incrementAndGet();
				return;
			}
			long entry = this.fenced.enter(counter, resource, token);
			String read = counter.get(COUNTER_PREFIX + resource);
			long value = (read != null) ? Long.parseLong(read) : 0;
			// Widens the window in which an overlapping holder would read the same value.
			Thread.sleep(ThreadLocalRandom.current().nextInt(3));
			if (lock.remainingValidity().compareTo(COMMIT_MARGIN) < 0) {
				this.abandoned.incrementAndGet();
			}
			else {
				counter.set(COUNTER_PREFIX + resource, Long.toString(value + 1));
				this.sections.incrementAndGet(resource);
			}
			// The fence needs no validity check: the store refuses the write if it is stale.
			this.fenced.write(counter, resource, token, entry, me);
		}
		finally {
			if (alone) {
				counter.eval(COMPARE_AND_DELETE, ScriptOutputType.INTEGER, new String[] { ownerKey }, me);
			}
		}
	}

	/**
	 * Kleppmann's paused client: it holds the lock and its token, stops for longer than the ttl
	 * (without extending), and then writes, unaware that someone else may have taken over.
	 * Only the fenced store is written: the lock no longer protects anything else.
	 */
	private void pausedSection(int resource, Lock lock, long token, RedisCommands<String, String> counter)
			throws InterruptedException {
		if (lock.remainingValidity().compareTo(COMMIT_MARGIN) < 0) {
			this.abandoned.incrementAndGet();
			return;
		}
		long entry = this.fenced.enter(counter, resource, token);
		Thread.sleep(TTL.toMillis() + 1000);
		this.fenced.write(counter, resource, token, entry, "paused");
	}

	private void error(String message) {
		synchronized (this.errors) {
			// Enough to diagnose; a broken run must not fill the heap with messages.
			if (this.errors.size() < 50) {
				this.errors.add(message);
			}
		}
	}

	/**
	 * What a set of clients did.
	 *
	 * @param acquisitions locks acquired
	 * @param sections critical sections that wrote the counter, per resource
	 * @param overlaps critical sections entered while another was inside
	 * @param abandoned critical sections that found their lock too close to expiry to write
	 * @param timeouts acquisitions that gave up after the wait
	 * @param fenced what the fenced store saw
	 * @param errors what went wrong, for the report
	 */
	record Counts(long acquisitions, long[] sections, long overlaps, long abandoned, long timeouts,
			FencedStore.Figures fenced, List<String> errors) {

		private static final String PREFIX = "SAFETY-RESULT ";

		long totalSections() {
			return Arrays.stream(this.sections).sum();
		}

		/** One line, for the child JVM to report on its standard output. */
		String toLine() {
			return PREFIX + this.acquisitions + " " + this.overlaps + " " + this.abandoned + " " + this.timeouts + " "
					+ Arrays.stream(this.sections).mapToObj(Long::toString).collect(Collectors.joining(",")) + " "
					+ this.fenced.toFields();
		}

		/** Reads a {@link #toLine()} line, or returns null if {@code line} is something else. */
		static Counts fromLine(String line) {
			if (!line.startsWith(PREFIX)) {
				return null;
			}
			String[] fields = line.substring(PREFIX.length()).trim().split(" ");
			long[] sections = Arrays.stream(fields[4].split(",")).mapToLong(Long::parseLong).toArray();
			return new Counts(Long.parseLong(fields[0]), sections, Long.parseLong(fields[1]), Long.parseLong(fields[2]),
					Long.parseLong(fields[3]), FencedStore.Figures.fromFields(fields[5]), List.of());
		}

	}

}
