package dev.redlock.benchmarks.contenders;

import java.time.Duration;
import java.util.List;

import dev.redlock.Lock;
import dev.redlock.LockAcquisitionException;
import dev.redlock.Redlock;

/**
 * This project's core, with its defaults: release notifications on, or off to show what they
 * buy (then waiters only poll, every 200 ms plus up to 100 ms of jitter, as node-redlock does).
 */
public final class RedlockContender implements Contender {

	private final boolean releaseNotifications;

	private RedlockContender(boolean releaseNotifications) {
		this.releaseNotifications = releaseNotifications;
	}

	/** The default configuration. */
	public static RedlockContender withNotifications() {
		return new RedlockContender(true);
	}

	/** {@code releaseNotifications(false)}: node-redlock's polling. */
	public static RedlockContender polling() {
		return new RedlockContender(false);
	}

	@Override
	public String id() {
		return this.releaseNotifications ? "redlock" : "redlock-polling";
	}

	@Override
	public String description() {
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
					return lock::release;
				}
				catch (LockAcquisitionException ex) {
					if (ex.isHeldByAnotherOwner()) {
						return null;
					}
					throw ex;
				}
			}

			@Override
			public void close() {
				redlock.close();
			}

		};
	}

}
