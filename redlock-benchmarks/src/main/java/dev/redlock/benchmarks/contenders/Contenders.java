package dev.redlock.benchmarks.contenders;

import java.util.List;
import java.util.NoSuchElementException;

/**
 * Every contender of the scenarios (a) to (c), in report order. The {@code @DistributedLock}
 * aspect is not among them: its scenario compares it with a direct core call on the same
 * Spring context, see {@link dev.redlock.benchmarks.aspect.AspectContender}.
 */
public final class Contenders {

	private Contenders() {
	}

	public static List<Contender> all() {
		return List.of(RedlockContender.withNotifications(), RedlockContender.polling(), new FloorContender(),
				new RedissonRedLockContender(), new RedissonLockContender(), SpringRegistryContender.pubSub(),
				SpringRegistryContender.spin());
	}

	/**
	 * Variants measured in the uncontended scenario only, next to the contender they vary:
	 * {@code redlock-fenced}, what asking for a fencing token costs; {@code redlock-nio} and
	 * {@code floor-nio}, what Netty's native epoll transport buys.
	 */
	public static List<Contender> uncontendedVariants() {
		return List.of(RedlockContender.fenced(), new NioTransportContender(RedlockContender.withNotifications()),
				new NioTransportContender(new FloorContender()));
	}

	public static Contender byId(String id) {
		return java.util.stream.Stream.concat(all().stream(), uncontendedVariants().stream())
			.filter((contender) -> contender.id().equals(id))
			.findFirst()
			.orElseThrow(() -> new NoSuchElementException("No contender '" + id + "'"));
	}

	/** The contenders that run on {@code nodes} nodes. */
	public static List<Contender> on(int nodes) {
		return all().stream().filter((contender) -> contender.runsOn(nodes)).toList();
	}

}
