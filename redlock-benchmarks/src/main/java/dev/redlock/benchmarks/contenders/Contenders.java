package dev.redlock.benchmarks.contenders;

import java.util.List;
import java.util.NoSuchElementException;

/**
 * Every contender, in report order. The {@code @DistributedLock} aspect joins here as one
 * more {@link Contender} once the starter module is in this build.
 */
public final class Contenders {

	private Contenders() {
	}

	public static List<Contender> all() {
		return List.of(RedlockContender.withNotifications(), RedlockContender.polling(), new FloorContender(),
				new RedissonRedLockContender(), new RedissonLockContender(), SpringRegistryContender.pubSub(),
				SpringRegistryContender.spin());
	}

	public static Contender byId(String id) {
		return all().stream()
			.filter((contender) -> contender.id().equals(id))
			.findFirst()
			.orElseThrow(() -> new NoSuchElementException("No contender '" + id + "'"));
	}

	/** The contenders that run on {@code nodes} nodes. */
	public static List<Contender> on(int nodes) {
		return all().stream().filter((contender) -> contender.runsOn(nodes)).toList();
	}

}
