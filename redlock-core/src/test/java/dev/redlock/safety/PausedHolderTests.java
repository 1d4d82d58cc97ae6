package dev.redlock.safety;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.redlock.Lock;
import dev.redlock.LockExtensionException;
import dev.redlock.NodeInspector;
import dev.redlock.Redlock;
import dev.redlock.testkit.RedisServersExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A holder that stops running past its ttl, as in a long garbage-collection pause: its
 * extensions stop with it. When it runs again it must learn that the lock is gone, while
 * someone else may hold it by then, and nothing it does any more may touch the new holder's
 * keys. The lock itself cannot stop a paused holder from acting on stale beliefs: that is
 * what {@code throwIfLost()} before a write, and fencing, are for (see docs/safety.md).
 */
class PausedHolderTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private static final Duration GENEROUS = Duration.ofSeconds(30);

	private static final Duration TTL = Duration.ofMillis(1500);

	private NodeInspector nodes;

	private Redlock redlock;

	private Process child;

	@BeforeEach
	void start() {
		this.nodes = new NodeInspector(redis.servers());
		this.redlock = Redlock.builder().nodes(redis.uris()).commandTimeout(Duration.ofMillis(250)).build();
	}

	@AfterEach
	void stop() throws InterruptedException {
		if (this.child != null) {
			// Never leave the holder stopped, nor running.
			if (this.child.isAlive()) {
				Posix.signal("CONT", this.child.pid());
			}
			this.child.destroyForcibly();
			this.child.waitFor(10, TimeUnit.SECONDS);
		}
		this.redlock.close();
		this.nodes.close();
	}

	@Test
	void aHolderJvmStoppedPastItsTtlFindsItsLockLostAndCannotHarmTheNextHolder() throws Exception {
		this.child = startHolder("locks:paused-jvm");
		Lines lines = new Lines(this.child);
		String token = lines.await("HELD ").substring("HELD ".length());
		awaitOnEveryNode("locks:paused-jvm", token);

		Posix.signal("STOP", this.child.pid());
		// Its automatic extension is stopped too: the keys expire on every node.
		awaitOnEveryNode("locks:paused-jvm", null);
		Lock next = this.redlock.acquire("locks:paused-jvm", Duration.ofSeconds(60));
		awaitOnEveryNode("locks:paused-jvm", next.value());

		Posix.signal("CONT", this.child.pid());
		lines.send("check");
		assertThat(lines.await("STATE ")).isEqualTo("STATE held=false remaining=0");
		assertThat(lines.await("THROW-IF-LOST ")).isEqualTo("THROW-IF-LOST LockExtensionException");
		assertThat(lines.await("EXTEND ")).isEqualTo("EXTEND LockExtensionException");
		lines.await("RELEASED");
		assertThat(this.child.waitFor(GENEROUS.toSeconds(), TimeUnit.SECONDS)).isTrue();
		assertThat(lines.seen()).as("its onLost callback ran").anyMatch((line) -> line.startsWith("LOST "));

		assertThat(next.isHeld()).isTrue();
		for (int i = 0; i < redis.size(); i++) {
			assertThat(this.nodes.get(i, "locks:paused-jvm")).isEqualTo(next.value());
			assertThat(this.nodes.pttl(i, "locks:paused-jvm")).as("not shortened by the stale holder")
				.isGreaterThan(30_000L);
		}
		next.extend(Duration.ofSeconds(60));
		next.release();
	}

	@Test
	void aHolderWhoseExtensionStoppedPastItsTtlIsToldItLostTheLock() {
		// No automatic extension, and nothing done until past the ttl: a stalled holder.
		Lock stale = this.redlock.acquire("locks:stalled", TTL);
		awaitOnEveryNode("locks:stalled", stale.value());
		await().atMost(GENEROUS).until(() -> !stale.isHeld());
		assertThat(stale.remainingValidity()).isZero();
		assertThatExceptionOfType(LockExtensionException.class).isThrownBy(stale::throwIfLost)
			.withMessageContaining("no longer held");
		awaitOnEveryNode("locks:stalled", null);

		Lock next = this.redlock.acquire("locks:stalled", Duration.ofSeconds(60));
		awaitOnEveryNode("locks:stalled", next.value());
		assertThatExceptionOfType(LockExtensionException.class).isThrownBy(() -> stale.extend(Duration.ofSeconds(60)));
		stale.release();
		assertThat(stale.isHeld()).isFalse();

		assertThat(next.isHeld()).isTrue();
		for (int i = 0; i < redis.size(); i++) {
			assertThat(this.nodes.get(i, "locks:stalled")).isEqualTo(next.value());
			assertThat(this.nodes.pttl(i, "locks:stalled")).isGreaterThan(30_000L);
		}
		next.release();
	}

	private Process startHolder(String resource) throws IOException {
		String java = ProcessHandle.current().info().command()
			.orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		return new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
				PausedHolderMain.class.getName(), String.join(",", redis.uris()), resource, Long.toString(TTL.toMillis()))
			.redirectErrorStream(true)
			.start();
	}

	private void awaitOnEveryNode(String key, String value) {
		await().atMost(GENEROUS)
			.until(() -> this.nodes.valuesOnRunningNodes(key).stream().allMatch((v) -> Objects.equals(v, value)));
	}

	/** The child's output, read on a thread of its own so that no wait is unbounded. */
	private static final class Lines {

		private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();

		private final List<String> seen = new ArrayList<>();

		private final Writer input;

		Lines(Process process) {
			this.input = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
			Thread reader = new Thread(() -> {
				try (BufferedReader out = new BufferedReader(
						new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
					String line;
					while ((line = out.readLine()) != null) {
						this.queue.add(line);
					}
				}
				catch (IOException ex) {
					// The process ended: whatever was read is in the queue.
				}
			}, "paused-holder-output");
			reader.setDaemon(true);
			reader.start();
		}

		/** The next line that starts with {@code prefix}, skipping others (logs). */
		String await(String prefix) throws InterruptedException {
			long deadline = System.nanoTime() + GENEROUS.toNanos();
			while (System.nanoTime() < deadline) {
				String line = this.queue.poll(100, TimeUnit.MILLISECONDS);
				if (line != null) {
					this.seen.add(line);
					if (line.startsWith(prefix)) {
						return line;
					}
				}
			}
			throw new AssertionError("The holder never printed '" + prefix + "'; it printed:\n" + String.join("\n", this.seen));
		}

		List<String> seen() throws InterruptedException {
			String line;
			while ((line = this.queue.poll(10, TimeUnit.MILLISECONDS)) != null) {
				this.seen.add(line);
			}
			return this.seen;
		}

		void send(String line) throws IOException {
			this.input.write(line + "\n");
			this.input.flush();
		}

	}

}
