package dev.redlock.safety;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import dev.redlock.testkit.FaultProxies;
import dev.redlock.testkit.RedisServers;

/**
 * Injects random faults into the lock nodes, on a minority of them at a time, so that the
 * workload keeps running while every kind of fault comes and goes under it:
 * <ul>
 * <li>{@link Kind#KILL} is {@code kill -9}, and a restart (empty: no persistence) only after
 * the longest ttl has passed, the delay Redlock needs to stay safe without fsync;</li>
 * <li>{@link Kind#PAUSE} is SIGSTOP for longer than the per-node timeout, then SIGCONT;</li>
 * <li>{@link Kind#LATENCY} and {@link Kind#BLACKHOLE} are network faults in the node's proxy,
 * healed after a while; {@link Kind#DROP} closes every connection to a node at once.</li>
 * </ul>
 * Kinds are drawn in shuffled rounds, so a short run still sees each of them.
 */
final class FaultInjector {

	/** A kind of fault. */
	enum Kind {

		KILL("kill -9 + delayed restart"), PAUSE("SIGSTOP pause"), LATENCY("latency"), BLACKHOLE("blackhole"),
		DROP("dropped connections");

		private final String label;

		Kind(String label) {
			this.label = label;
		}

		String label() {
			return this.label;
		}

	}

	private final RedisServers servers;

	private final FaultProxies proxies;

	private final Duration maxTtl;

	private final Duration nodeTimeout;

	private final Random random;

	private final int minority;

	private final Map<Kind, Integer> injected = new EnumMap<>(Kind.class);

	private final List<Fault> active = new ArrayList<>();

	private final List<Kind> round = new ArrayList<>();

	FaultInjector(RedisServers servers, FaultProxies proxies, Duration maxTtl, Duration nodeTimeout, long seed) {
		this.servers = servers;
		this.proxies = proxies;
		this.maxTtl = maxTtl;
		this.nodeTimeout = nodeTimeout;
		this.random = new Random(seed);
		this.minority = (servers.size() - 1) / 2;
		for (Kind kind : Kind.values()) {
			this.injected.put(kind, 0);
		}
	}

	/**
	 * Injects and heals faults until {@code endAtMillis} (epoch milliseconds), then heals
	 * everything, restarting killed nodes no earlier than their delay allows.
	 */
	void run(long endAtMillis) throws InterruptedException {
		try {
			while (System.currentTimeMillis() < endAtMillis) {
				healDue(false);
				if (this.active.size() < this.minority) {
					inject();
				}
				Thread.sleep(200 + this.random.nextInt(800));
			}
		}
		finally {
			healDue(true);
		}
	}

	/** How many faults of each kind were injected. */
	synchronized Map<Kind, Integer> injected() {
		return new EnumMap<>(this.injected);
	}

	private void inject() {
		List<Integer> healthy = new ArrayList<>();
		for (int i = 0; i < this.servers.size(); i++) {
			int node = i;
			if (this.active.stream().noneMatch((fault) -> fault.node == node)) {
				healthy.add(i);
			}
		}
		int node = healthy.get(this.random.nextInt(healthy.size()));
		Kind kind = nextKind();
		long now = System.nanoTime();
		switch (kind) {
			case KILL -> {
				this.servers.get(node).kill();
				long delay = this.maxTtl.toMillis() + 500 + this.random.nextInt(1500);
				this.active.add(new Fault(kind, node, now + TimeUnit.MILLISECONDS.toNanos(delay)));
			}
			case PAUSE -> {
				this.servers.get(node).pause();
				long pause = this.nodeTimeout.toMillis() * 2 + this.random.nextInt(1500);
				this.active.add(new Fault(kind, node, now + TimeUnit.MILLISECONDS.toNanos(pause)));
			}
			case LATENCY -> {
				// From a slow node to one slower than the timeout, whose votes arrive too late.
				this.proxies.get(node).latency(Duration.ofMillis(20 + this.random.nextInt(400)));
				this.active.add(new Fault(kind, node, now + TimeUnit.MILLISECONDS.toNanos(500 + this.random.nextInt(2500))));
			}
			case BLACKHOLE -> {
				this.proxies.get(node).blackhole();
				this.active.add(new Fault(kind, node, now + TimeUnit.MILLISECONDS.toNanos(500 + this.random.nextInt(2500))));
			}
			case DROP -> this.proxies.get(node).dropConnections();
		}
		synchronized (this) {
			this.injected.merge(kind, 1, Integer::sum);
		}
	}

	private Kind nextKind() {
		if (this.round.isEmpty()) {
			Collections.addAll(this.round, Kind.values());
			Collections.shuffle(this.round, this.random);
		}
		return this.round.remove(this.round.size() - 1);
	}

	/** Heals the faults that are due, or all of them, waiting out the restart delay of killed nodes. */
	private void healDue(boolean all) throws InterruptedException {
		for (Fault fault : List.copyOf(this.active)) {
			long wait = fault.healAt - System.nanoTime();
			if (wait > 0 && !all) {
				continue;
			}
			if (wait > 0 && fault.kind == Kind.KILL) {
				// Never restart early: an empty node back too soon is the known unsafe case.
				TimeUnit.NANOSECONDS.sleep(wait);
			}
			switch (fault.kind) {
				case KILL -> this.servers.get(fault.node).restart();
				case PAUSE -> this.servers.get(fault.node).resume();
				default -> this.proxies.get(fault.node).heal();
			}
			this.active.remove(fault);
		}
	}

	/** A fault in force on one node until {@code healAt} ({@link System#nanoTime()}). */
	private record Fault(Kind kind, int node, long healAt) {
	}

}
