package dev.redlock.benchmarks.contenders;

import java.util.List;

/**
 * The floor: raw Lettuce doing the least a Redlock can, with nothing a library adds (no
 * per-node timeouts, no notifications, no retry schedule, no strong randomness). Any
 * Redlock over the same nodes pays at least this.
 */
public final class FloorContender implements Contender {

	@Override
	public String id() {
		return "floor";
	}

	@Override
	public String description() {
		return "raw Lettuce: parallel SET NX PX, majority wait, parallel compare-and-delete by EVALSHA; "
				+ "under contention retries at once after a 100-200 µs back-off";
	}

	@Override
	public boolean runsOn(int nodes) {
		return true;
	}

	@Override
	public LockClient connect(List<String> uris, SharedResources shared) {
		return new FloorClient(uris, shared.lettuce());
	}

}
