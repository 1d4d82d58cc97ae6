package dev.redlock.sample;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import dev.redlock.testkit.RedisServer;
import dev.redlock.testkit.RedisServersExtension;
import dev.redlock.testkit.RedlockTestProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Seed 000 as the Express service behaves: {@code /lockAndSetValue} answers at once and its
 * job holds the lock in the background, so a second job on the same key waits for the first
 * to release it. The hold is long against an HTTP answer, so "at once" is seen as "while the
 * first job still holds its lock".
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.kv.hold-time=6s")
// Closed after the class: its nodes stop with it, and a cached context would keep reconnecting to them.
@DirtiesContext
class LockAndSetValueTests {

	private static final String LOCK_KEY = "locks:sample:kv:color";

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private static final RedisServer store = RedisServer.start();

	@LocalServerPort
	private int port;

	private SampleHttp http;

	@DynamicPropertySource
	static void nodes(DynamicPropertyRegistry registry) {
		RedlockTestProperties.register(registry, redis);
		registry.add("spring.data.redis.url", store::uri);
	}

	@AfterAll
	static void stopStore() {
		store.close();
	}

	@BeforeEach
	void setUp() {
		store.flushAll();
		this.http = new SampleHttp(this.port);
	}

	@Test
	void bothRequestsAnswerAtOnceAndTheSecondJobSetsItsValueOnlyAfterTheFirstReleasedTheLock() {
		HttpResponse<String> red = this.http.post("/lockAndSetValue", "{\"key\":\"color\",\"value\":\"red\"}");
		HttpResponse<String> blue = this.http.post("/lockAndSetValue", "{\"key\":\"color\",\"value\":\"blue\"}");
		String redToken = quorumToken();
		String valueWhenAnswered = value();

		assertThat(red.statusCode()).as(red.body()).isEqualTo(202);
		assertThat(red.body()).contains("\"lock\":\"held\"");
		assertThat(blue.statusCode()).as(blue.body()).isEqualTo(202);
		assertThat(blue.body()).contains("\"lock\":\"waiting\"");
		assertThat(redToken).as("the first job's lock, still held when both answers had arrived").isNotNull();
		assertThat(valueWhenAnswered).as("the value while the first job holds the lock").isEqualTo("red");

		await().atMost(Duration.ofMinutes(1)).until(() -> "blue".equals(value()));
		// The second job set its value under a lock of its own: the first one's token had left a majority.
		assertThat(nodesHolding(redToken)).isLessThan(2);

		// No job is left running when the test ends.
		await().atMost(Duration.ofMinutes(1)).until(() -> nodesHolding(null) == redis.uris().size());
	}

	@Test
	void theBlockingVariantAnswersOnceItsJobIsDoneAndTellsHowLongItWaited() {
		assertThat(this.http.post("/lockAndSetValue", "{\"key\":\"color\",\"value\":\"red\"}").statusCode()).isEqualTo(202);

		HttpResponse<String> green = this.http.post("/lockAndSetValue?wait=true", "{\"key\":\"color\",\"value\":\"green\"}");

		assertThat(green.statusCode()).as(green.body()).isEqualTo(200);
		assertThat(green.body()).contains("\"value\":\"green\"", "\"waitedMs\":", "\"heldMs\":");
		assertThat(value()).isEqualTo("green");
		assertThat(nodesHolding(null)).as("nodes without the lock once the answer arrived").isEqualTo(redis.uris().size());
	}

	private String value() {
		return RedisContents.get(store.uri(), "kv:color");
	}

	/** The token that a majority of the nodes hold for the key, or {@code null}. */
	private static String quorumToken() {
		List<String> tokens = redis.uris().stream().map((node) -> RedisContents.get(node, LOCK_KEY)).toList();
		return tokens.stream()
			.filter(Objects::nonNull)
			.filter((token) -> tokens.stream().filter(token::equals).count() >= 2)
			.findFirst()
			.orElse(null);
	}

	/** How many nodes hold {@code token} for the key ({@code null}: hold no lock on it). */
	private static long nodesHolding(String token) {
		return redis.uris().stream().filter((node) -> Objects.equals(RedisContents.get(node, LOCK_KEY), token)).count();
	}

}
