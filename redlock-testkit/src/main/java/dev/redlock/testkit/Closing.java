package dev.redlock.testkit;

import java.util.function.Consumer;

/** Applies an action to every element even when some fail, as closing a group of processes must. */
final class Closing {

	private Closing() {
	}

	/**
	 * Closes every server, recording failures as suppressed by {@code failure}.
	 */
	static void closeAll(Iterable<? extends AutoCloseable> servers, Throwable failure) {
		for (AutoCloseable server : servers) {
			try {
				server.close();
			}
			catch (Exception e) {
				failure.addSuppressed(e);
			}
		}
	}

	/**
	 * Applies {@code action} to each element.
	 *
	 * @throws RuntimeException the first failure, with the others suppressed, after trying all
	 */
	static <T> void forEach(Iterable<T> elements, Consumer<? super T> action) {
		RuntimeException failure = null;
		for (T element : elements) {
			try {
				action.accept(element);
			}
			catch (RuntimeException e) {
				if (failure == null) {
					failure = e;
				}
				else {
					failure.addSuppressed(e);
				}
			}
		}
		if (failure != null) {
			throw failure;
		}
	}
}
