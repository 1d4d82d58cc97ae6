package dev.redlock.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

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
public final class SentinelGroupExtension
		implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

	private final List<String> masterNames;

	/** Guarded by {@code this}, like {@link #ownerId}. */
	private List<SentinelGroup> groups;

	/** The unique id of the extension context whose end closes {@link #groups}. */
	private String ownerId;

	private SentinelGroupExtension(List<String> masterNames) {
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
	public synchronized List<SentinelGroup> groups() {
		if (groups == null) {
			throw new IllegalStateException("The Sentinel groups are not started: they exist from beforeAll"
					+ " (extension on a static field) or beforeEach (instance field) until the matching after callback");
		}
		return List.copyOf(groups);
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
	public synchronized void beforeAll(ExtensionContext context) {
		if (groups == null) {
			startFor(context);
		}
	}

	@Override
	public synchronized void beforeEach(ExtensionContext context) {
		if (groups == null) {
			startFor(context);
			return;
		}
		for (int i = 0; i < groups.size(); i++) {
			SentinelGroup group = groups.get(i);
			if (group.isIntact()) {
				group.master().flushAll();
			}
			else {
				group.close();
				groups.set(i, SentinelGroup.start(masterNames.get(i)));
			}
		}
	}

	@Override
	public synchronized void afterEach(ExtensionContext context) {
		closeIfOwnedBy(context);
	}

	@Override
	public synchronized void afterAll(ExtensionContext context) {
		closeIfOwnedBy(context);
	}

	private void startFor(ExtensionContext context) {
		List<SentinelGroup> started = new ArrayList<>();
		try {
			for (String name : masterNames) {
				started.add(SentinelGroup.start(name));
			}
		}
		catch (RuntimeException | Error e) {
			Closing.closeAll(started, e);
			throw e;
		}
		groups = started;
		ownerId = context.getUniqueId();
	}

	private void closeIfOwnedBy(ExtensionContext context) {
		if (groups == null || !context.getUniqueId().equals(ownerId)) {
			return;
		}
		try {
			Closing.forEach(groups, SentinelGroup::close);
		}
		finally {
			groups = null;
			ownerId = null;
		}
	}
}
