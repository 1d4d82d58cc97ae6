package dev.redlock;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.redlock.internal.Validation;
import dev.redlock.testkit.RedisServersExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Every odd input either fails at once with an {@link IllegalArgumentException} that names
 * what is wrong, or works exactly like a plain one; and nothing is ever left half-acquired.
 * Resource names are binary-safe Redis keys: any well-formed Unicode, NUL and control
 * characters included, round-trips; names that cannot be keys faithfully are refused.
 */
class BadInputTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private static final Duration TTL = Duration.ofSeconds(10);

	private static final Duration GENEROUS = Duration.ofSeconds(20);

	private final List<Redlock> redlocks = new ArrayList<>();

	private NodeInspector nodes;

	private Redlock redlock;

	@BeforeEach
	void start() {
		this.nodes = new NodeInspector(redis.servers());
		this.redlock = redlock(Redlock.builder());
	}

	@AfterEach
	void stop() {
		this.redlocks.forEach(Redlock::close);
		this.nodes.close();
	}

	@Test
	void emptyAndBlankNamesAreRefused() {
		assertRejected(List.of(""), "resources[0] must not be empty or blank");
		assertRejected(List.of(" \t\n"), "resources[0] must not be empty or blank");
		assertRejected(List.of("locks:ok", ""), "resources[1] must not be empty or blank");
		assertRejected(new ArrayList<>(java.util.Arrays.asList("locks:ok", null)), "resources[1] must not be null");
		assertRejected(List.of(), "at least one resource");
	}

	@Test
	void aMegabyteNameIsRefusedWithTheLimit() {
		String huge = "x".repeat(1024 * 1024);
		assertRejected(List.of(huge), "resources[0] is 1048576 bytes long in UTF-8, over the limit of 65536 bytes");
		assertThatIllegalArgumentException().isThrownBy(() -> this.redlock.acquire(huge, TTL))
			.satisfies((ex) -> assertThat(ex.getMessage()).hasSizeLessThan(500));
		// The limit counts bytes, not characters: 3-byte characters reach it three times sooner.
		assertRejected(List.of("€".repeat(Validation.MAX_RESOURCE_BYTES / 3 + 1)), "over the limit of 65536 bytes");
	}

	@Test
	void aNameOfExactlyTheLimitWorks() {
		String longest = "k".repeat(Validation.MAX_RESOURCE_BYTES);
		try (Lock lock = this.redlock.acquire(longest, TTL)) {
			this.nodes.awaitEverywhere(longest, lock.value());
		}
		assertNoKeysAnywhere();
	}

	@Test
	void aLoneSurrogateIsRefusedSinceUtf8CannotEncodeIt() {
		assertRejected(List.of("locks:\uD800x"), "resources[0] holds a lone surrogate \\uD800 at index 6");
		assertRejected(List.of("locks:\uDC00"), "lone surrogate \\uDC00");
		assertRejected(List.of("locks:ok", "locks:\uD83D"), "resources[1] holds a lone surrogate");
	}

	@Test
	void nonAsciiNamesRoundTrip() throws Exception {
		String name = "locks:ключ:日本語:🔒:é";
		assertRoundTrips(name);
	}

	@Test
	void binaryNamesWithNulAndControlCharactersRoundTrip() throws Exception {
		// Binary data as a String, one char per byte (ISO-8859-1): NUL, controls, bytes ≥ 0x80.
		byte[] bytes = new byte[256];
		for (int i = 0; i < bytes.length; i++) {
			bytes[i] = (byte) i;
		}
		String binary = new String(bytes, StandardCharsets.ISO_8859_1);
		assertRoundTrips("locks:\u0000");
		assertRoundTrips(binary);
		assertRoundTrips("locks:with space and\r\nnewline");
		try (Lock lock = this.redlock.acquire(List.of(binary, "locks:\u0000", "locks:плain"), TTL)) {
			// An acquisition returns once a quorum granted: wait for the last node.
			this.nodes.awaitEverywhere(binary, lock.value());
			this.nodes.awaitEverywhere("locks:\u0000", lock.value());
		}
		assertNoKeysAnywhere();
	}

	@Test
	void aZeroNegativeTinyOrHugeTtlIsRefused() {
		assertRejectedTtl(Duration.ZERO, "ttl must be positive");
		assertRejectedTtl(Duration.ofMillis(-1), "ttl must be positive");
		assertRejectedTtl(Duration.ofMillis(2), "clock drift allowance");
		assertRejectedTtl(Duration.ofDays(366), "ttl must be at most 365 days");
		assertRejectedTtl(Duration.ofSeconds(Long.MAX_VALUE), "ttl must be at most 365 days");
		try (Lock lock = this.redlock.acquire("locks:ttl", TTL)) {
			assertThatIllegalArgumentException().isThrownBy(() -> lock.extend(Duration.ZERO))
				.withMessageContaining("ttl must be positive");
			assertThatIllegalArgumentException().isThrownBy(() -> lock.extend(Duration.ofDays(400)))
				.withMessageContaining("ttl must be at most 365 days");
			assertThat(lock.isHeld()).as("a refused extension leaves the lock as it was").isTrue();
		}
		assertNoKeysAnywhere();
	}

	@Test
	void aNegativeWaitIsRefusedAndAHugeOneMeansNoBound() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.redlock.acquire(List.of("locks:wait"), TTL, Duration.ofMillis(-1)))
			.withMessageContaining("maxWait must be zero (one attempt) or positive");
		try (Lock lock = this.redlock.acquire(List.of("locks:wait"), TTL, Duration.ofSeconds(Long.MAX_VALUE))) {
			assertThat(lock.isHeld()).isTrue();
		}
		try (Redlock forever = redlock(Redlock.builder().waitTime(Duration.ofSeconds(Long.MAX_VALUE)));
				Lock lock = forever.acquire("locks:wait", TTL)) {
			assertThat(lock.isHeld()).isTrue();
		}
		assertNoKeysAnywhere();
	}

	@Test
	void retryAndDriftValuesOutOfRangeAreRefused() {
		assertInvalid(Redlock.builder().retryCount(-2), "retryCount must be -1");
		assertInvalid(Redlock.builder().retryCount(Integer.MIN_VALUE), "retryCount must be -1");
		assertInvalid(Redlock.builder().retryDelay(Duration.ofMillis(-1)), "retryDelay must be zero or positive");
		assertInvalid(Redlock.builder().retryDelay(Duration.ofDays(2)), "retryDelay must be at most 24 hours");
		assertInvalid(Redlock.builder().retryDelay(null), "retryDelay must be zero or positive, but was null");
		assertInvalid(Redlock.builder().retryJitter(Duration.ofSeconds(Long.MAX_VALUE)), "retryJitter must be at most 24 hours");
		assertInvalid(Redlock.builder().driftFactor(Double.NaN), "driftFactor must be in [0, 1)");
		assertInvalid(Redlock.builder().driftFactor(Double.POSITIVE_INFINITY), "driftFactor must be in [0, 1)");
		assertInvalid(Redlock.builder().driftFactor(1), "driftFactor must be in [0, 1)");
		assertInvalid(Redlock.builder().driftFactor(-0.01), "driftFactor must be in [0, 1)");
		assertInvalid(Redlock.builder().commandTimeout(Duration.ZERO), "commandTimeout must be positive");
		assertInvalid(Redlock.builder().commandTimeout(Duration.ofDays(2)), "commandTimeout must be at most 24 hours");
		assertInvalid(Redlock.builder().automaticExtensionThreshold(Duration.ofMillis(-5)),
				"automaticExtensionThreshold must be positive");
		assertInvalid(Redlock.builder().waitTime(Duration.ofMillis(-1)), "waitTime must be zero or positive");
	}

	@Test
	void anEmptyNodeListIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> Redlock.builder().nodes(List.of()).build())
			.withMessageContaining("nodes: at least one node is required");
	}

	@Test
	void aServerListedTwiceIsRefusedHoweverItIsSpelled() {
		int port = redis.get(0).port();
		String plain = "redis://127.0.0.1:" + port;
		assertDuplicate(List.of(plain, plain), "nodes[1]: " + plain + " is listed twice");
		// Another database of the same server is the same voter.
		assertDuplicate(List.of(plain, plain + "/3"), "nodes[1]: " + plain + "/3 is listed twice (nodes[0] " + plain
				+ " is the same server)");
		assertDuplicate(List.of(plain, "redis://:secret@127.0.0.1:" + port), "nodes[1]: " + plain + " is listed twice");
		assertDuplicate(List.of("redis://LOCALHOST:" + port, "redis://localhost:" + port), "is listed twice");
		assertDuplicate(List.of(plain, redis.uris().get(1), plain), "nodes[2]");
	}

	private void assertRoundTrips(String name) throws Exception {
		Redlock other = redlock(Redlock.builder().retryDelay(Duration.ofSeconds(30)).retryJitter(Duration.ZERO));
		Lock lock = this.redlock.acquire(name, TTL);
		assertThat(lock.resources()).containsExactly(name);
		await().atMost(GENEROUS).until(() -> this.nodes.valuesOnRunningNodes(name).stream().allMatch(lock.value()::equals));
		assertThat(rawKeys(0)).as("the key's bytes are the name's UTF-8").contains(utf8Hex(name));
		// The waiter polls only every 30 s: it gets the lock in time only if the release
		// notification for this very name reaches it, which needs the name to survive the trip.
		long subscribed = this.nodes.listeners(0, name);
		CompletableFuture<Lock> waiter = other.acquireAsync(List.of(name), TTL, Duration.ofSeconds(20))
			.toCompletableFuture();
		await().atMost(GENEROUS).until(() -> this.nodes.listeners(0, name) > subscribed);
		lock.release();
		Lock next = waiter.get(GENEROUS.toSeconds(), TimeUnit.SECONDS);
		this.nodes.awaitEverywhere(name, next.value());
		next.release();
		assertNoKeysAnywhere();
	}

	private List<String> rawKeys(int node) {
		RedisClient client = RedisClient.create();
		try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE,
				RedisURI.create(redis.uris().get(node)))) {
			return connection.sync().keys("*").stream().map(BadInputTests::hex).toList();
		}
		finally {
			client.shutdown();
		}
	}

	private static String utf8Hex(String text) {
		return hex(text.getBytes(StandardCharsets.UTF_8));
	}

	private static String hex(byte[] bytes) {
		return java.util.HexFormat.of().formatHex(bytes);
	}

	private void assertRejected(List<String> resources, String message) {
		assertThatIllegalArgumentException().isThrownBy(() -> this.redlock.acquire(resources, TTL))
			.withMessageContaining(message);
		assertThatIllegalArgumentException().isThrownBy(() -> this.redlock.tryAcquire(resources, TTL))
			.withMessageContaining(message);
		assertThatIllegalArgumentException().isThrownBy(() -> this.redlock.acquireAsync(resources, TTL))
			.withMessageContaining(message);
		assertNoKeysAnywhere();
	}

	private void assertRejectedTtl(Duration ttl, String message) {
		assertThatIllegalArgumentException().isThrownBy(() -> this.redlock.acquire("locks:ttl", ttl))
			.withMessageContaining(message);
		assertThatIllegalArgumentException().isThrownBy(() -> this.redlock.tryAcquire("locks:ttl", ttl))
			.withMessageContaining(message);
		assertNoKeysAnywhere();
	}

	private void assertInvalid(RedlockBuilder builder, String message) {
		assertThatIllegalArgumentException().isThrownBy(() -> builder.nodes(redis.uris()).build())
			.withMessageContaining(message);
		assertNoKeysAnywhere();
	}

	private void assertDuplicate(List<String> uris, String message) {
		assertThatIllegalArgumentException().isThrownBy(() -> Redlock.builder().nodes(uris).build())
			.withMessageContaining(message)
			.withMessageContaining("a node must vote only once")
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain("secret"));
	}

	/** A release returns once a quorum has it: the last node may still be deleting. */
	private void assertNoKeysAnywhere() {
		await().atMost(GENEROUS).untilAsserted(() -> {
			for (int i = 0; i < redis.size(); i++) {
				assertThat(this.nodes.keys(i)).as("keys left on node %d", i).isEmpty();
			}
		});
	}

	private Redlock redlock(RedlockBuilder builder) {
		Redlock redlock = builder.nodes(redis.uris()).commandTimeout(Duration.ofMillis(500)).build();
		this.redlocks.add(redlock);
		return redlock;
	}

}
