package dev.redlock.testkit;

import java.util.List;
import java.util.Set;

/**
 * A JUnit Jupiter extension that gives a test class its own {@link SentinelGroup}s, one per master
 * name, for example three as the nodes of one Redlock.
 *
 * <pre>{@code
 * class SentinelLockTest {
 *     @RegisterExtension
 *     static final SentinelGroupExtension sentinels = SentinelGroupExtension.groups("a", "b", "c");
 *
 *     @Test
 *     void survivesAFailover() {
 *         Redlock redlock = Redlock.builder().nodes(sentinels.uris()).build();
 *         sentinels.get(0).failover();
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>On a {@code static} field the groups start once before all tests of the class (nested
 * classes included) and are closed after them. Before each test, a group left as it started has
 * its master flushed; one that a test changed (failed over, or a server stopped, killed or paused)
 * is closed and replaced by a fresh one on new ports, so read {@link #uris()} in each test rather
 * than once. On an instance field, each test gets fresh groups, closed after it.
 */
public final class SentinelGroupExtension extends ReplacingExtension<SentinelGroup> {

	private final List<String> masterNames;

	private SentinelGroupExtension(List<String> masterNames) {
		super(masterNames.size(), "The Sentinel groups");
		this.masterNames = masterNames;
	}

	/**
	 * Creates an extension managing one group per master name.
	 *
	 * @param masterNames at least one, all different
	 * @return the extension, to register with {@code @RegisterExtension}
	 */
	public static SentinelGroupExtension groups(String... masterNames) {
		List<String> names = List.of(masterNames);
		if (names.isEmpty() || Set.copyOf(names).size() != names.size()) {
			throw new IllegalArgumentException("Need at least one master name, all different: " + names);
		}
		return new SentinelGroupExtension(names);
	}

	/**
	 * Returns the groups, in the order of their master names.
	 *
	 * @return the running groups
	 * @throws IllegalStateException outside the extension's lifetime
	 */
	public List<SentinelGroup> groups() {
		return resources();
	}

	/**
	 * Returns one group.
	 *
	 * @param index from 0 to {@code size() - 1}
	 * @return the group
	 */
	public SentinelGroup get(int index) {
		return groups().get(index);
	}

	/** {@return each group's {@link SentinelGroup#uri()}, in order} */
	public List<String> uris() {
		return groups().stream().map(SentinelGroup::uri).toList();
	}

	/** {@return the number of groups} */
	public int size() {
		return groups().size();
	}

	@Override
	SentinelGroup start(int index) {
		return SentinelGroup.start(this.masterNames.get(index));
	}

	@Override
	boolean isIntact(SentinelGroup group) {
		return group.isIntact();
	}

	@Override
	void reset(SentinelGroup group) {
		group.master().flushAll();
	}

	@Override
	void close(SentinelGroup group) {
		group.close();
	}

}
