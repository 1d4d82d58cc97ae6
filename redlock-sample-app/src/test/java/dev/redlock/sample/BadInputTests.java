package dev.redlock.sample;

import java.net.http.HttpResponse;
import java.util.stream.Stream;

import dev.redlock.testkit.RedisServer;
import dev.redlock.testkit.RedisServersExtension;
import dev.redlock.testkit.RedlockTestProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Input that the app or the lock refuses is the client's mistake: a 400 problem
 * ({@code application/problem+json}) that says what was wrong, with nothing left behind in
 * the data store or on the lock's nodes. A failure of the app's own is not made a 400.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
// Closed after the class: its nodes stop with it, and a cached context would keep reconnecting to them.
@DirtiesContext
class BadInputTests {

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

	static Stream<Arguments> badKeys() {
		String[] endpoints = { "/lockAndSetValue", "/lockAndSetValue?wait=true" };
		return Stream.of(endpoints)
			.flatMap((endpoint) -> Stream.of(
					// Over the lock's limit of 64 KiB of UTF-8 once prefixed: refused by redlock-core.
					Arguments.of(endpoint, "a key of 70,000 characters", "k".repeat(70_000), "over the limit of 65536 bytes"),
					// JSON can carry half a surrogate pair, which has no UTF-8 form: refused by redlock-core.
					Arguments.of(endpoint, "a lone surrogate", "color\\uD800", "lone surrogate"),
					// Refused by the app before it reaches the lock, as the seed's "Wrong input."
					Arguments.of(endpoint, "a blank key", "   ", "'key' and 'value' are required")));
	}

	@ParameterizedTest(name = "{0} with {1}")
	@MethodSource("badKeys")
	void aKeyThatCannotBeLockedIsA400ProblemAndLeavesNothingBehind(String endpoint, String description, String key,
			String reason) {
		HttpResponse<String> answer = this.http.post(endpoint, "{\"key\":\"" + key + "\",\"value\":\"red\"}");

		assertProblem(answer, 400, reason);
		// The lock timeline records the refused attempt (sample:timeline:*); nothing else is written.
		assertThat(RedisContents.keys(store.uri())).as("keys in the data store")
			.allMatch((stored) -> stored.startsWith("sample:timeline:"));
		for (String node : redis.uris()) {
			assertThat(RedisContents.keys(node)).as("keys on node %s", node).isEmpty();
		}
	}

	@Test
	void missingFieldsAndABodyThatIsNotJsonAre400Problems() {
		assertProblem(this.http.post("/lockAndSetValue", "{\"key\":\"k\"}"), 400, "'key' and 'value' are required");
		assertProblem(this.http.post("/setValue", "not json"), 400, "the body must be JSON");
		assertProblem(this.http.post("/rooms/a/slots/b/book", "{}"), 400, "'user' is required");
		assertProblem(this.http.send("PUT", "/stock/widget", "{\"quantity\":-1}"), 400, "'quantity' must be zero or more");
		// Only the lock timeline may write (its batches of earlier tests' events land late).
		assertThat(RedisContents.keys(store.uri())).as("keys in the data store")
			.allMatch((stored) -> stored.startsWith("sample:timeline:"));
	}

	@Test
	void anIllegalArgumentOfTheAppsOwnInsideALockedMethodStaysAServerError() {
		// A corrupt stock count makes the locked purchase throw NumberFormatException, an
		// IllegalArgumentException that is a fault of the server's, not of the request.
		RedisContents.set(store.uri(), "stock:widget:left", "many");

		HttpResponse<String> answer = this.http.post("/stock/widget/purchase", "");

		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(500);
		for (String node : redis.uris()) {
			assertThat(RedisContents.keys(node)).as("locks left on node %s", node).isEmpty();
		}
	}

	static void assertProblem(HttpResponse<String> answer, int status, String reason) {
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
		assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(answer.body()).contains("\"status\":" + status, "\"detail\":\"").contains(reason);
	}

}
