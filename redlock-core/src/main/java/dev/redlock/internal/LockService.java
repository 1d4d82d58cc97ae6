package dev.redlock.internal;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import dev.redlock.Lock;
import dev.redlock.LockExtensionException;
import dev.redlock.LockOptions;
import dev.redlock.NodeVote;
import dev.redlock.RedlockException;
import dev.redlock.RedlockListener;
import io.lettuce.core.resource.ClientResources;

/**
 * What a {@code Redlock} is made of, wired once: the nodes, the rounds over them, the timers,
 * the notifications and the callbacks; and its lifecycle. The algorithm itself lives in
 * {@link Acquisition} and {@link RedlockLock}.
 */
public final class LockService {

	private final Settings settings;

	private final Nodes nodes;

	private final Timers timers = new Timers();

	private final Callbacks callbacks;

	private final LockEvents events;

	private final LockContext context;

	/** Acquisitions under way, so that closing ends them instead of leaving callers waiting. */
	private final Set<Acquisition> pending = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean closed = new AtomicBoolean();

	/**
	 * Connects to every node.
	 * @param resources shared client resources, or {@code null} to create (and own) them
	 * @param customizer applied to each client this creates, after the defaults
	 * @param callbackExecutor where user code runs, or {@code null} for the Redlock's own threads
	 * @throws IllegalArgumentException if two entries reach the same server
	 */
	public static LockService connect(List<NodeSpec> specs, ClientResources resources, ClientCustomizers customizer,
			Settings settings, RedlockListener listener, Executor callbackExecutor) {
		return new LockService(specs, resources, customizer, settings, listener, callbackExecutor);
	}

	private LockService(List<NodeSpec> specs, ClientResources resources, ClientCustomizers customizer, Settings settings,
			RedlockListener listener, Executor callbackExecutor) {
		this.settings = settings;
		this.callbacks = new Callbacks(callbackExecutor, (listener != null) ? listener : new RedlockListener() {
		});
		this.events = new LockEvents(this.callbacks, listener);
		ReleaseNotifications notifications = new ReleaseNotifications(settings.notifications(),
				settings.notificationChannel());
		try {
			this.nodes = Nodes.connect(specs, resources, customizer, settings.commandTimeout(), settings.replicaAcknowledgements(), this.callbacks,
					notifications::onMessage);
		}
		catch (RuntimeException ex) {
			this.timers.close();
			this.callbacks.close();
			throw ex;
		}
		notifications.listenTo(this.nodes, this.timers);
		Rounds rounds = new Rounds(this.nodes, this.timers, this.callbacks, settings.commandTimeout().toNanos());
		this.context = new LockContext(rounds, this.timers, this.callbacks, notifications, new Tokens(), this.nodes.size(),
				this.nodes.quorum(), ConcurrentHashMap.newKeySet(), this.events, this.closed);
	}

	/**
	 * Starts an acquisition. Completes on an internal thread: hand it to users through
	 * {@link #deliver}.
	 * @param oneAttempt whether to make exactly one attempt, whatever the options say
	 */
	public CompletableFuture<Lock> acquire(List<String> resources, Duration ttl, LockOptions options, boolean oneAttempt) {
		Settings effective = this.settings.with(options);
		if (oneAttempt) {
			effective = effective.oneAttempt();
		}
		List<String> checked = Validation.resources(resources);
		Lease lease = Lease.of(Validation.ttl(ttl, effective.driftFactor()), effective.driftFactor());
		checkOpen();
		long startedAt = System.nanoTime();
		Acquisition acquisition = new Acquisition(this.context, effective, checked, lease);
		this.pending.add(acquisition);
		CompletableFuture<Lock> result = acquisition.start();
		result.whenComplete((lock, ex) -> this.pending.remove(acquisition));
		// Every acquisition, however the caller waits for it, ends here: one event each.
		this.events.watch(result, checked, options, startedAt);
		if (this.closed.get()) {
			acquisition.cancel(closedException());
		}
		return result;
	}

	/** See {@link Callbacks#deliver}: user continuations never run on I/O threads. */
	public <T> CompletableFuture<T> deliver(CompletableFuture<?> root, CompletableFuture<T> internal,
			Consumer<? super T> unclaimed) {
		return this.callbacks.deliver(root, internal, unclaimed);
	}

	/** Runs {@code userCode} on the callback executor. */
	public void execute(Runnable userCode) {
		this.callbacks.execute(userCode);
	}

	/** PING to every node at once; decided when all answered or timed out. */
	public CompletableFuture<List<NodeVote>> ping() {
		checkOpen();
		return this.context.rounds().ping().decided().thenApply(Tally::votes);
	}

	/**
	 * The largest value of {@code resource}'s fencing counter on the nodes that answered, 0 if
	 * none has one; at least the last token handed out when a quorum answered.
	 * @throws RedlockException (in the future) if fewer than a quorum answered
	 */
	public CompletableFuture<Long> fencingCounter(String resource) {
		String checked = Validation.resources(List.of(resource)).get(0);
		checkOpen();
		long[] max = new long[1];
		return this.context.rounds().fenceCounter(FenceKeys.of(checked), max).decided().thenApply((tally) -> {
			if (!tally.hasQuorum()) {
				throw new RedlockException("Could not read the fencing counter of '" + checked + "': "
						+ tally.count(NodeVote.Vote.GRANTED) + " of " + this.nodes.size() + " nodes answered, "
						+ this.nodes.quorum() + " needed: " + tally.votes());
			}
			synchronized (max) {
				return max[0];
			}
		});
	}

	public int quorum() {
		return this.nodes.quorum();
	}

	/** The nodes as shown in logs: addresses, never credentials. */
	public List<String> nodeNames() {
		return this.nodes.names();
	}

	public void checkOpen() {
		if (this.closed.get()) {
			throw closedException();
		}
	}

	private static RedlockException closedException() {
		return new RedlockException("This Redlock is closed; build a new one to take locks");
	}

	/**
	 * Ends acquisitions under way, reports the locks still extended automatically as lost
	 * (they expire with their ttl), and closes the connections, waiting for them at most the
	 * command timeout plus a little: never longer, whatever state the nodes are in.
	 */
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		for (Acquisition acquisition : this.pending) {
			acquisition.cancel(new RedlockException("The Redlock was closed while acquiring a lock"));
		}
		for (RedlockLock lock : List.copyOf(this.context.extending())) {
			lock.markLost(new LockExtensionException("The Redlock was closed while the lock on " + lock.resources()
					+ " was extended automatically; it expires with its ttl", lock.resources(), List.of()));
		}
		this.timers.close();
		this.nodes.close(this.settings.commandTimeout().plusMillis(500));
		this.callbacks.close();
	}

}
