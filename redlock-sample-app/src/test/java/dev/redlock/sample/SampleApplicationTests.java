package dev.redlock.sample;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import dev.redlock.testkit.RedisServer;
import dev.redlock.testkit.RedisServersExtension;
import dev.redlock.testkit.RedlockTestProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scenarios over HTTP, on a random port, against three real nodes and a real data
 * store. Concurrency comes from many requests in flight at once; nothing asserts timings.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.kv.hold-time=1500ms", "sample.booking.wait-time=30s" })
class SampleApplicationTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private static final RedisServer store = RedisServer.start();


	@LocalServerPort
	private int port;

	private SampleHttp http() {
		return new SampleHttp(this.port);
	}

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
	void concurrentBookingsOfOneSlotYieldExactlyOneSuccess() {
		List<Integer> statuses = concurrently(40,
				(i) -> http().postAsync("/rooms/studio/slots/friday-5pm/book", "{\"user\":\"user-" + i + "\"}"));
		assertThat(statuses).containsOnly(201, 409).filteredOn((s) -> s == 201).hasSize(1);
		assertThat(http().get("/rooms/studio/slots/friday-5pm").body()).contains("\"confirmations\":1");
		BadInputTests.assertProblem(http().post("/rooms/studio/slots/friday-5pm/book", "{\"user\":\"late\"}"), 409,
				"Slot friday-5pm of room studio is already booked");
	}

	@Test
	void concurrentPurchasesNeverOversell() {
		http().send("PUT", "/stock/gadget", "{\"quantity\":15}");
		List<Integer> statuses = concurrently(45, (i) -> http().postAsync("/stock/gadget/purchase", ""));
		assertThat(statuses).containsOnly(200, 409);
		assertThat(statuses).filteredOn((s) -> s == 200).hasSize(15);
		assertThat(http().get("/stock/gadget").body()).contains("\"left\":0", "\"sold\":15");
		BadInputTests.assertProblem(http().post("/stock/gadget/purchase", ""), 409, "Sold out: no gadget left");
	}

	@Test
	void aSecondBlockingLockAndSetValueOnTheSameKeyWaitsForTheFirst() {
		CompletableFuture<HttpResponse<String>> first = http().postAsync("/lockAndSetValue?wait=true",
				"{\"key\":\"color\",\"value\":\"red\"}");
		await().atMost(Duration.ofSeconds(30)).until(() -> http().get("/getValue/color").body().contains("red"));
		CompletableFuture<HttpResponse<String>> second = http().postAsync("/lockAndSetValue?wait=true",
				"{\"key\":\"color\",\"value\":\"blue\"}");
		// While the first holds the lock, the second neither answers nor overwrites the value.
		assertThat(first).isNotDone();
		assertThat(second).isNotDone();
		assertThat(http().get("/getValue/color").body()).contains("red");

		assertThat(first.join().statusCode()).isEqualTo(200);
		HttpResponse<String> secondAnswer = second.join();
		assertThat(secondAnswer.statusCode()).isEqualTo(200);
		assertThat(http().get("/getValue/color").body()).contains("blue");
	}

	@Test
	void aWriteWithoutTheLockDoesNotWait() {
		assertThat(http().post("/setValue", "{\"key\":\"size\",\"value\":\"xl\"}").statusCode()).isEqualTo(200);
		assertThat(http().get("/getValue/size").body()).isEqualTo("{\"key\":\"size\",\"value\":\"xl\"}");
		assertThat(http().get("/getValue/missing").statusCode()).isEqualTo(404);
	}

	@Test
	void theDailyJobRunsOnceWhenTriggeredConcurrently() {
		http().send("DELETE", "/jobs/daily-report", null);
		List<String> answers = new ArrayList<>();
		List<CompletableFuture<HttpResponse<String>>> runs = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			runs.add(http().postAsync("/jobs/daily-report/run", ""));
		}
		runs.forEach((run) -> answers.add(run.join().body()));
		assertThat(answers).as("answers %s", answers).filteredOn((a) -> a.contains("\"ran\":true")).hasSize(1);
		assertThat(http().get("/jobs/daily-report").body()).contains("\"runsToday\":[\"");
		assertThat(http().get("/jobs/daily-report").body().split("\",\"")).hasSize(1);
	}

	/** Sends every request before waiting for any answer. */
	private List<Integer> concurrently(int requests, IntFunction<CompletableFuture<HttpResponse<String>>> request) {
		List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
		for (int i = 0; i < requests; i++) {
			all.add(request.apply(i));
		}
		return all.stream().map((f) -> f.orTimeout(2, TimeUnit.MINUTES).join().statusCode()).toList();
	}

}
