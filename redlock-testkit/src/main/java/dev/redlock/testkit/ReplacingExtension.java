package dev.redlock.testkit;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The lifecycle the cluster and Sentinel extensions share: on a static field the resources
 * start before all tests of the class and close after them; before each test one left as it
 * started is reset, and one a test broke (failed over, a member killed or paused) is closed
 * and replaced by a fresh one; on an instance field each test gets its own.
 *
 * @param <T> the resource, one per index
 */
abstract class ReplacingExtension<T>
		implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

	private final int count;

	private final String what;

	/** Guarded by {@code this}, like {@link #ownerId}. */
	private List<T> resources;

	/** The unique id of the extension context whose end closes {@link #resources}. */
	private String ownerId;

	/** @param what the resources, for messages: "The Redis Clusters" */
	ReplacingExtension(int count, String what) {
		this.count = count;
		this.what = what;
	}

	abstract T start(int index);

	abstract boolean isIntact(T resource);

	/** Empties an intact resource between tests. */
	abstract void reset(T resource);

	abstract void close(T resource);

	/**
	 * Returns the resources, in order.
	 *
	 * @throws IllegalStateException outside the extension's lifetime
	 */
	synchronized List<T> resources() {
		if (this.resources == null) {
			throw new IllegalStateException(this.what + " are not started: they exist from beforeAll (extension on a "
					+ "static field) or beforeEach (instance field) until the matching after callback");
		}
		return List.copyOf(this.resources);
	}

	@Override
	public synchronized void beforeAll(ExtensionContext context) {
		if (this.resources == null) {
			startFor(context);
		}
	}

	@Override
	public synchronized void beforeEach(ExtensionContext context) {
		if (this.resources == null) {
			startFor(context);
			return;
		}
		for (int i = 0; i < this.resources.size(); i++) {
			T resource = this.resources.get(i);
			if (isIntact(resource)) {
				reset(resource);
			}
			else {
				close(resource);
				this.resources.set(i, start(i));
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
		// One after the other: each start already runs its processes in parallel.
		List<T> started = new ArrayList<>();
		try {
			for (int i = 0; i < this.count; i++) {
				started.add(start(i));
			}
		}
		catch (RuntimeException | Error e) {
			for (T resource : started) {
				try {
					close(resource);
				}
				catch (RuntimeException closing) {
					e.addSuppressed(closing);
				}
			}
			throw e;
		}
		this.resources = started;
		this.ownerId = context.getUniqueId();
	}

	private void closeIfOwnedBy(ExtensionContext context) {
		if (this.resources == null || !context.getUniqueId().equals(this.ownerId)) {
			return;
		}
		try {
			Closing.forEach(this.resources, this::close);
		}
		finally {
			this.resources = null;
			this.ownerId = null;
		}
	}

}
