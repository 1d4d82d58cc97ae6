package dev.redlock.spring.observation;

import java.util.List;

import dev.redlock.spring.LockOutcome;
import io.micrometer.observation.Observation;

/**
 * What a {@code redlock.lock} observation knows of its locked call: one observation for the
 * wait for the lock ({@link Phase#ACQUIRE}) and, once acquired, one for the time it is held
 * ({@link Phase#HOLD}).
 */
public class RedlockObservationContext extends Observation.Context {

	private final String lockName;

	private final List<String> keys;

	private final int nodeCount;

	private final Phase phase;

	private LockOutcome outcome;

	/**
	 * @param lockName the method or name given to the call
	 * @param keys the Redis keys
	 * @param nodeCount how many nodes the Redlock has
	 * @param phase waiting for the lock, or holding it
	 */
	public RedlockObservationContext(String lockName, List<String> keys, int nodeCount, Phase phase) {
		this.lockName = lockName;
		this.keys = List.copyOf(keys);
		this.nodeCount = nodeCount;
		this.phase = phase;
	}

	/** The method or name given to the call: bounded. */
	public String getLockName() {
		return this.lockName;
	}

	/** The Redis keys: unbounded, for high-cardinality values only. */
	public List<String> getKeys() {
		return this.keys;
	}

	public int getNodeCount() {
		return this.nodeCount;
	}

	public Phase getPhase() {
		return this.phase;
	}

	/** How the acquisition ended; {@code null} while it goes on. */
	public LockOutcome getOutcome() {
		return this.outcome;
	}

	public void setOutcome(LockOutcome outcome) {
		this.outcome = outcome;
	}

	/** Which part of a locked call an observation covers. */
	public enum Phase {

		/** From the call until the lock is acquired, or given up. */
		ACQUIRE("acquire"),

		/** From the acquisition until the release. */
		HOLD("hold");

		private final String value;

		Phase(String value) {
			this.value = value;
		}

		public String value() {
			return this.value;
		}

	}

}
