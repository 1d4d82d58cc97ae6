package dev.redlock.sample;

import java.net.http.HttpResponse;

import dev.redlock.testkit.RedisServer;
import dev.redlock.testkit.RedisServersExtension;
import dev.redlock.testkit.RedlockTestProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The paused-writer scenario over HTTP: a client that paused past its ttl writes after the
 * next holder; the fenced store refuses it, the unfenced one loses the next holder's update.
 */
// Long enough for client 1 to take its token (two round trips) on a loaded machine before its
// lock runs out; client 2 waits that long for it in every case.
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.fenced.ttl=3s")
class FencedWritesTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private static final RedisServer store = RedisServer.start();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void nodes(DynamicPropertyRegistry registry) {
		RedlockTestProperties.register(registry, redis);
		registry.add("spring.data.redis.url", store::uri);
	}

	@AfterAll
	static void stopStore() {
		store.close();
	}

	@ParameterizedTest
	@ValueSource(strings = { "redis", "jdbc" })
	void theFencedStoreRefusesThePausedClientsStaleWrite(String kind) {
		HttpResponse<String> response = new SampleHttp(this.port).post("/records/fenced-" + kind + "/paused-writer?store="
				+ kind, "");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.body()).contains("\"fenced\":true", "\"lostUpdate\":false",
				"\"client1\":{\"value\":\"written by client 1\"", "\"client2\":{\"value\":\"written by client 2\"",
				"\"value\":\"written by client 2\",\"fence\":");
		assertThat(response.body()).containsPattern("\"client1\":\\{[^}]*\"written\":false")
			.containsPattern("\"client2\":\\{[^}]*\"written\":true");
		assertThat(new SampleHttp(this.port).get("/records/fenced-" + kind + "?store=" + kind).body())
			.contains("\"value\":\"written by client 2\"");
	}

	@ParameterizedTest
	@ValueSource(strings = { "redis", "jdbc" })
	void withoutTheFenceThePausedClientOverwritesTheNextHoldersUpdate(String kind) {
		HttpResponse<String> response = new SampleHttp(this.port).post("/records/unfenced-" + kind
				+ "/paused-writer?fenced=false&store=" + kind, "");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.body()).contains("\"fenced\":false", "\"lostUpdate\":true",
				"\"record\":{\"id\":\"unfenced-" + kind + "\",\"value\":\"written by client 1\"");
	}

	@ParameterizedTest
	@ValueSource(strings = { "redis", "jdbc" })
	void tokensOfLaterHoldersAreLarger(String kind) {
		String body = new SampleHttp(this.port).post("/records/order-" + kind + "/paused-writer?store=" + kind, "").body();
		long first = token(body, "client1");
		long second = token(body, "client2");
		assertThat(second).isGreaterThan(first);
	}

	private static long token(String body, String client) {
		String tail = body.substring(body.indexOf("\"" + client + "\""));
		String number = tail.substring(tail.indexOf("\"token\":") + "\"token\":".length());
		return Long.parseLong(number.substring(0, number.indexOf(',')));
	}

}
