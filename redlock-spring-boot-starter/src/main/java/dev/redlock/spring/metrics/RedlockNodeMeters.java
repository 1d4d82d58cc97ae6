package dev.redlock.spring.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.redlock.NodeVote;
import dev.redlock.Redlock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * {@code redlock.node.up}: 1 for each node (tag {@code node}, as {@link Redlock#nodes()} names
 * it, without credentials) that answered its last {@code PING}, 0 otherwise. Reading the gauge
 * never waits for a node: it gives the last answer and, when that is older than the refresh
 * interval, pings the nodes in the background for the next read. Also creates the
 * {@code redlock.node.errors} counter of every node, so that it shows zero before an error.
 */
public final class RedlockNodeMeters implements MeterBinder {

	private static final Duration DEFAULT_REFRESH = Duration.ofSeconds(5);

	private final Redlock redlock;

	private final long refreshNanos;

	private final Map<String, Integer> up = new ConcurrentHashMap<>();

	private final AtomicLong lastPing = new AtomicLong();

	private final AtomicBoolean pinging = new AtomicBoolean();

	/** Refreshes at most every 5 seconds. */
	public RedlockNodeMeters(Redlock redlock) {
		this(redlock, DEFAULT_REFRESH);
	}

	/**
	 * @param redlock whose nodes to watch
	 * @param refresh how old the last answer may be before a read pings again
	 */
	public RedlockNodeMeters(Redlock redlock, Duration refresh) {
		this.redlock = Objects.requireNonNull(redlock, "redlock must not be null");
		this.refreshNanos = refresh.toNanos();
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (String node : this.redlock.nodes()) {
			this.up.put(node, 0);
			Gauge.builder("redlock.node.up", this, (meters) -> meters.read(node))
				.description("Whether the node answered its last ping (1) or not (0)")
				.tag("node", node)
				.register(registry);
			Counter.builder("redlock.node.errors").description(MicrometerRedlockListener.NODE_ERRORS_DESCRIPTION)
				.tag("node", node).register(registry);
		}
		refresh();
	}

	/** The nodes' last answers, as the gauges show them. */
	public Map<String, Integer> current() {
		return Map.copyOf(this.up);
	}

	private double read(String node) {
		if (System.nanoTime() - this.lastPing.get() > this.refreshNanos) {
			refresh();
		}
		return this.up.getOrDefault(node, 0);
	}

	/** Pings the nodes in the background, one ping at a time. */
	public void refresh() {
		if (!this.pinging.compareAndSet(false, true)) {
			return;
		}
		this.lastPing.set(System.nanoTime());
		try {
			this.redlock.ping().whenComplete((votes, ex) -> {
				if (votes != null) {
					update(votes);
				}
				this.pinging.set(false);
			});
		}
		catch (RuntimeException ex) {
			// A closed Redlock: its nodes count as down.
			this.up.replaceAll((node, value) -> 0);
			this.pinging.set(false);
		}
	}

	private void update(List<NodeVote> votes) {
		for (NodeVote vote : votes) {
			this.up.put(vote.node(), (vote.vote() == NodeVote.Vote.GRANTED) ? 1 : 0);
		}
	}

}
