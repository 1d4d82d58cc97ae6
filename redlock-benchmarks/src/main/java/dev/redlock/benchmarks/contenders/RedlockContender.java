package dev.redlock.benchmarks.contenders;

import java.time.Duration;
import java.util.List;

import dev.redlock.Lock;
import dev.redlock.LockAcquisitionException;
import dev.redlock.Redlock;

/**
 * This project's core, with its defaults: release notifications on, or off to show what they
 * buy (then waiters only poll, every 200 ms plus up to 100 ms of jitter, as node-redlock does);
 * or with the defaults and a fencing token asked of every lock, to show what fencing costs.
 */
public final class RedlockContender implements Contender {

	private final boolean releaseNotifications;

	private final boolean fenced;

	private RedlockContender(boolean releaseNotifications, boolean fenced) {
		this.releaseNotifications = releaseNotifications;
		this.fenced = fenced;
	}

	/** The default configuration. */
	public static RedlockContender withNotifications() {
		return new RedlockContender(true, false);
	}

	/** {@code releaseNotifications(false)}: node-redlock's polling. */
	public static RedlockContender polling() {
		return new RedlockContender(false, false);
	}

	/** The default configuration, asking every lock for its fencing token before releasing it. */
	public static RedlockContender fenced() {
		return new RedlockContender(true, true);
	}

	@Override
	public String id() {
		return this.fenced ? "redlock-fenced" : this.releaseNotifications ? "redlock" : "redlock-polling";
	}

	@Override
	public String description() {
		if (this.fenced) {
			return "this project's core, defaults, and lock.fencingToken() asked before each release";
		}
		return this.releaseNotifications ? "this project's core, defaults (release notifications on)"
				: "this project's core with releaseNotifications(false): polls every 200 ms + up to 100 ms jitter";
	}

	@Override
	public boolean runsOn(int nodes) {
		return true;
	}

	@Override
	public LockClient connect(List<String> uris, SharedResources shared) {
		Redlock redlock = Redlock.builder()
			.nodes(uris)
			.clientResources(shared.lettuce())
			.releaseNotifications(this.releaseNotifications)
			.build();
		return new LockClient() {

			@Override
			public Held acquire(String key, Duration ttl, Duration maxWait) {
				try {
					Lock lock = redlock.acquire(List.of(key), ttl, maxWait);
					if (RedlockContender.this.fenced) {
						lock.fencingToken();
					}
					return lock::release;
				}
				catch (LockAcquisitionException ex) {
					// Held by another owner, or nodes too slow to answer on a loaded machine:
					// either way no lock, counted among the run's timeouts, not a broken run.
					return null;
				}
			}

			@Override
			public void close() {
				redlock.close();
			}

		};
	}

}
