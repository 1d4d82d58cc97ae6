package dev.redlock.sample;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.redlock.testkit.RedisServer;
import dev.redlock.testkit.RedisServersExtension;
import dev.redlock.testkit.RedlockTestProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

/**
 * The page's data and the actuator on the web: a contended booking shows as two holders of the
 * slot's key, one after the other, in the timeline's event stream; health, metrics (with the
 * Redlock meters, also in Prometheus form) and the redlock endpoint answer over HTTP.
 */
// Spring Boot 3.5's tests turn metrics export off by default (its @AutoConfigureObservability is
// Boot-3-only); naming Prometheus turns that one back on, on either line.
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "sample.instance=test",
		"sample.booking.work-time=300ms", "management.prometheus.metrics.export.enabled=true" })
@DirtiesContext
class LockTimelineTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private static final RedisServer store = RedisServer.start();

	@LocalServerPort
	private int port;

	@Autowired
	private StringRedisTemplate data;

	@DynamicPropertySource
	static void nodes(DynamicPropertyRegistry registry) {
		RedlockTestProperties.register(registry, redis);
		registry.add("spring.data.redis.url", store::uri);
	}

	@AfterAll
	static void stopStore() {
		store.close();
	}

	@Test
	void aDataStoreThatStopsAnsweringFailsACommandWithinTheAppsTimeoutNotLettucesMinute() {
		store.pause();
		try {
			// The app's timeout is 2 s; Lettuce's default of 60 s, which blocked the timeline's
			// flush and each context's shutdown for 30 s, would overrun this bound.
			assertTimeoutPreemptively(Duration.ofSeconds(30),
					() -> assertThatThrownBy(() -> this.data.hasKey("anything")).isInstanceOf(QueryTimeoutException.class));
		}
		finally {
			store.resume();
		}
	}

	@Test
	void aContendedBookingShowsTwoHoldersOfTheKeyInOrder() throws Exception {
		SampleHttp http = new SampleHttp(this.port);
		List<CompletableFuture<HttpResponse<String>>> bookings = List.of(
				http.postAsync("/rooms/piano-2/slots/noon/book", "{\"user\":\"ann\"}"),
				http.postAsync("/rooms/piano-2/slots/noon/book", "{\"user\":\"bob\"}"));
		assertThat(bookings.stream().map((booking) -> booking.join().statusCode())).containsExactlyInAnyOrder(201, 409);
		String key = "locks:sample:room:piano-2:noon";
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			String history = firstEvent("/timeline/events");
			List<long[]> holds = holds(history, key);
			assertThat(holds).hasSize(2);
			assertThat(holds.get(1)[0]).as("the second acquired after the first released").isGreaterThanOrEqualTo(holds.get(0)[1]);
		});
		assertThat(http.get("/").body()).contains("Who holds which lock").contains("timeline.js");
	}

	@Test
	void healthMetricsAndTheRedlockEndpointAreOnTheWeb() {
		SampleHttp http = new SampleHttp(this.port);
		http.post("/rooms/piano-3/slots/noon/book", "{\"user\":\"ann\"}");
		assertThat(http.get("/actuator/health").body()).contains("\"redlock\"").contains("\"UP\"");
		assertThat(http.get("/actuator/metrics/redlock.acquire").body()).contains("outcome").contains("BookingService.book");
		assertThat(http.get("/actuator/redlock").body()).contains("\"quorum\":2").contains("\"locks\"");
		String prometheus = http.get("/actuator/prometheus").body();
		assertThat(prometheus).contains("redlock_acquire_seconds_count{name=\"BookingService.book\",outcome=\"acquired\"")
			.contains("redlock_held_seconds_count{name=\"BookingService.book\"}").contains("redlock_node_up").doesNotContain("piano-3");
	}

	/** The data of the stream's first event, the history. */
	private String firstEvent(String path) throws Exception {
		HttpClient client = HttpClient.newHttpClient();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(10))
			.build();
		HttpResponse<java.io.InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
		try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
			for (String line = reader.readLine(); line != null; line = reader.readLine()) {
				if (line.startsWith("data:")) {
					return line.substring(5);
				}
			}
		}
		return "";
	}

	/** Each holder's [acquired, released] times on {@code key}, in order of acquisition. */
	private static List<long[]> holds(String history, String key) {
		Pattern event = Pattern.compile("\\{\"t\":(\\d+),[^}]*\"k\":\"" + Pattern.quote(key) + "\"[^}]*\"e\":\"(acquired|released)\",\"h\":\"([^\"]+)\"");
		java.util.Map<String, long[]> byHolder = new java.util.LinkedHashMap<>();
		Matcher matcher = event.matcher(history);
		while (matcher.find()) {
			long[] hold = byHolder.computeIfAbsent(matcher.group(3), (holder) -> new long[] { -1, -1 });
			hold[matcher.group(2).equals("acquired") ? 0 : 1] = Long.parseLong(matcher.group(1));
		}
		return byHolder.values().stream().filter((hold) -> hold[0] >= 0 && hold[1] >= 0)
			.sorted((a, b) -> Long.compare(a[0], b[0])).toList();
	}

}
