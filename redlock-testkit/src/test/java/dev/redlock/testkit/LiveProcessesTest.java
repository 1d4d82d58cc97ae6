package dev.redlock.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reaper's list of live processes: once the shutdown hook has collected it, nothing starts,
 * so that a server started while the JVM shuts down (a cluster half-way through its start when
 * {@code SIGTERM} arrives) cannot be left running.
 */
class LiveProcessesTest {

	private static final int STARTERS = 2;

	/**
	 * A bound for when starts are never refused (the bug): far more than a starter gets through
	 * before reaping begins, so then it overshoots the reaper's list every time.
	 */
	private static final int MAX_STARTS_PER_STARTER = 32;

	private final List<Process> started = Collections.synchronizedList(new ArrayList<>());

	private final AtomicInteger sockets = new AtomicInteger();

	@TempDir
	private Path directory;

	@AfterEach
	void killEveryProcessStarted() throws InterruptedException {
		List<Process> all;
		synchronized (started) {
			all = List.copyOf(started);
		}
		all.forEach(Process::destroyForcibly);
		for (Process process : all) {
			assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("pid %d ends", process.pid()).isTrue();
		}
	}

	@Test
	void reapingReturnsTheProcessesStillAlive() throws Exception {
		LiveProcesses live = new LiveProcesses();
		Process running = track(live.start(idleServer(), started -> { }));
		Process ended = track(live.start(idleServer(), started -> { }));
		ended.destroyForcibly();
		assertThat(ended.waitFor(10, TimeUnit.SECONDS)).isTrue();

		assertThat(live.beginReaping()).containsExactly(running);
	}

	@Test
	void nothingStartsOnceReapingBegan() throws Exception {
		LiveProcesses live = new LiveProcesses();
		live.beginReaping();
		Set<Long> childrenBefore = childPids();

		assertThatIllegalStateException().isThrownBy(() -> track(live.start(idleServer(), started -> { })))
				.withMessageContaining("the JVM is shutting down");
		assertThat(childPids()).as("this JVM's child processes").isSubsetOf(childrenBefore);
	}

	@Test
	void nothingIsCreatedOnceReapingBegan() throws Exception {
		LiveProcesses live = new LiveProcesses();
		Path before = live.unlessReaping("a directory", () -> Files.createDirectory(directory.resolve("before")));
		live.beginReaping();

		assertThatIllegalStateException()
				.isThrownBy(() -> live.unlessReaping("a directory", () -> Files.createDirectory(directory.resolve("after"))))
				.withMessageContaining("the JVM is shutting down");
		assertThat(before).isDirectory();
		assertThat(directory.resolve("after")).doesNotExist();
	}

	@Test
	void aProcessThatCannotBeRecordedIsKilled() throws Exception {
		LiveProcesses live = new LiveProcesses();
		List<Process> recorded = new ArrayList<>();

		assertThatIllegalStateException().isThrownBy(() -> live.start(idleServer(), started -> {
			recorded.add(track(started));
			throw new IOException("disk full");
		})).withMessageContaining("the process was killed");
		assertThat(recorded).singleElement().satisfies(process -> {
			assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
			assertThat(live.beginReaping()).doesNotContain(process);
		});
	}

	@Test
	void serversStartedInALoopWhileReapingBeginsAreAllReapedThenNoneStarts() throws Exception {
		LiveProcesses live = new LiveProcesses();
		CountDownLatch firstStarts = new CountDownLatch(STARTERS);
		ExecutorService starters = Executors.newFixedThreadPool(STARTERS);
		try {
			List<Future<List<Process>>> results = new ArrayList<>();
			for (int i = 0; i < STARTERS; i++) {
				results.add(starters.submit(() -> startUntilRefused(live, firstStarts)));
			}
			assertThat(firstStarts.await(30, TimeUnit.SECONDS)).as("every starter started one").isTrue();

			List<Process> victims = live.beginReaping();

			List<Process> startedByStarters = new ArrayList<>();
			for (Future<List<Process>> result : results) {
				startedByStarters.addAll(result.get(60, TimeUnit.SECONDS));
			}
			assertThat(victims).as("what the reaper kills").containsExactlyInAnyOrderElementsOf(startedByStarters);
		}
		finally {
			starters.shutdownNow();
			assertThat(starters.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
		}
	}

	/** Starts servers until refused (or {@link #MAX_STARTS_PER_STARTER} run); returns them. */
	private List<Process> startUntilRefused(LiveProcesses live, CountDownLatch firstStarts) throws IOException {
		List<Process> mine = new ArrayList<>();
		try {
			while (mine.size() < MAX_STARTS_PER_STARTER) {
				mine.add(track(live.start(idleServer(), started -> { })));
				if (mine.size() == 1) {
					firstStarts.countDown();
				}
			}
		}
		catch (IllegalStateException refused) {
			// Reaping began: what was started so far is all this starter will ever start.
		}
		return mine;
	}

	private Process track(Process process) {
		started.add(process);
		return process;
	}

	/** A real redis-server that listens on a socket file of its own, not a port, and writes no data. */
	private ProcessBuilder idleServer() {
		String socket = directory.resolve("redis-" + sockets.incrementAndGet() + ".sock").toString();
		return new ProcessBuilder(RedisServerBinary.locate().toString(), "--port", "0", "--unixsocket", socket,
				"--save", "", "--appendonly", "no")
				.directory(directory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD);
	}

	private static Set<Long> childPids() {
		return ProcessHandle.current().children()
				.filter(ProcessHandle::isAlive)
				.map(ProcessHandle::pid)
				.collect(Collectors.toSet());
	}
}
