package dev.redlock.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** No redis-server outlives the JVM that started it, however that JVM ends. */
class OrphanTest {

	private static final Duration CHILD_READY_TIMEOUT = Duration.ofSeconds(30);

	private Process jvm;

	private Child child;

	@AfterEach
	void cleanUp() {
		// Only matters when a test fails: leave no process behind for the next run to trip on.
		if (jvm != null) {
			jvm.destroyForcibly();
		}
		if (child != null) {
			Signals.send("CONT", child.redisPids());
			child.redisPids().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
		}
	}

	@Test
	void serversDieWhenTheirJvmIsKilledWithSigkill() throws Exception {
		jvm = startChild("wait");
		child = awaitReady(jvm);

		jvm.destroyForcibly();
		assertThat(jvm.waitFor(10, TimeUnit.SECONDS)).isTrue();

		await("redis-server processes of the killed JVM to die")
				.atMost(Duration.ofSeconds(15))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> child.redisPids().stream().allMatch(Probes::isGone));
		await("the watchdog to remove the testkit directory")
				.atMost(Duration.ofSeconds(5))
				.until(() -> !Files.exists(child.testkitDirectory()));
	}

	@Test
	void serversDieWhenTheirJvmExitsWithoutClosingThem() throws Exception {
		jvm = startChild("exit");
		child = awaitReady(jvm);

		assertThat(jvm.waitFor(15, TimeUnit.SECONDS)).isTrue();

		assertThat(child.redisPids()).allMatch(Probes::isGone);
		assertThat(child.testkitDirectory()).doesNotExist();
	}

	@Test
	void serversStartingWhenTheirJvmGetsSigtermDieWithIt() throws Exception {
		jvm = startChild("loop");
		child = awaitReady(jvm);
		// Watched until it ends, its children include the servers it spawns in its last moments.
		// All of them, not only those that look like redis-server: Debian's is a link to redis-check-rdb.
		Set<Long> childPids = ConcurrentHashMap.newKeySet();
		CompletableFuture<Void> watching = CompletableFuture.runAsync(() -> {
			while (jvm.isAlive()) {
				jvm.toHandle().children().forEach(process -> childPids.add(process.pid()));
				// Polls the operating system, not a server: nothing can be asked to tell of a spawn.
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
			}
		});
		await("the child to start servers in a loop")
				.atMost(CHILD_READY_TIMEOUT)
				.until(() -> childPids.size() > child.redisPids().size() + 1);

		jvm.destroy();
		assertThat(jvm.waitFor(15, TimeUnit.SECONDS)).as("the child ends on SIGTERM").isTrue();
		watching.get(5, TimeUnit.SECONDS);

		child = new Child(List.copyOf(childPids), child.testkitDirectory());
		await("every process the child started to die")
				.atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(100))
				.untilAsserted(() -> assertThat(childPids).allMatch(Probes::isGone));
		assertThat(child.testkitDirectory()).doesNotExist();
	}

	private static Process startChild(String mode) throws IOException {
		String java = ProcessHandle.current().info().command()
				.orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				OrphanMain.class.getName(), mode)
				.redirectErrorStream(true)
				.start();
	}

	private static Child awaitReady(Process jvm) throws Exception {
		CompletableFuture<Child> ready = CompletableFuture.supplyAsync(() -> readReadyLine(jvm));
		try {
			return ready.get(CHILD_READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		finally {
			// Unblocks the reader if the child never reported.
			if (!ready.isDone()) {
				jvm.destroyForcibly();
			}
		}
	}

	private static Child readReadyLine(Process jvm) {
		StringBuilder output = new StringBuilder();
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				if (line.startsWith(OrphanMain.READY + " ")) {
					String[] fields = line.split(" ", 4);
					return new Child(List.of(Long.parseLong(fields[1]), Long.parseLong(fields[2])), Path.of(fields[3]));
				}
				output.append(line).append('\n');
			}
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		throw new IllegalStateException("Child JVM ended before reporting its servers:\n" + output);
	}

	private record Child(List<Long> redisPids, Path testkitDirectory) {
	}
}
