package dev.redlock.sample;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.redlock.testkit.RedisServer;
import dev.redlock.testkit.RedisServersExtension;
import dev.redlock.testkit.RedlockTestProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The page at {@code /} in a real browser: Debian's headless Chromium, driven through its own
 * chromedriver (nothing is downloaded). With the page open, a contended booking happens, and
 * the page shows, live, two holders of the slot's key, one after the other. Runs in the
 * {@code browser-tests} profile, active where {@code /usr/bin/chromium} exists.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "sample.instance=test",
		"sample.booking.work-time=300ms" })
@DirtiesContext
class LockTimelineBrowserTests {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private static final RedisServer store = RedisServer.start();

	@LocalServerPort
	private int port;

	private WebDriver browser;

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
	void openBrowser() {
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000");
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		this.browser = new ChromeDriver(service, options);
	}

	@AfterEach
	void closeBrowser() {
		if (this.browser != null) {
			this.browser.quit();
		}
	}

	@Test
	void thePageShowsTwoHoldersOfAContendedKeyInOrder() {
		this.browser.get("http://127.0.0.1:" + this.port + "/");
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.browser.findElement(By.id("status")).getText().equals("live"));

		SampleHttp http = new SampleHttp(this.port);
		List<CompletableFuture<HttpResponse<String>>> bookings = List.of(
				http.postAsync("/rooms/organ/slots/friday-5pm/book", "{\"user\":\"ann\"}"),
				http.postAsync("/rooms/organ/slots/friday-5pm/book", "{\"user\":\"bob\"}"));
		assertThat(bookings.stream().map((booking) -> booking.join().statusCode())).containsExactlyInAnyOrder(201, 409);

		// The page re-renders as events arrive: read each snapshot in one script, never through
		// element references that a re-render makes stale.
		String holders = "section.key[data-key='locks:sample:room:organ:friday-5pm'] ol.handoffs li";
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			List<Map<String, String>> items = handoffs(holders);
			return items.size() == 2 && items.stream().noneMatch((item) -> item.get("end").isEmpty());
		});
		List<Map<String, String>> items = handoffs(holders);
		assertThat(items.get(0).get("holder")).isNotEqualTo(items.get(1).get("holder"));
		// In order: the second holder took the key after the first took it, and let it go after
		// the first did. (A release is stamped when the releasing call returns, once a quorum
		// deleted the key; the waiter it woke may have acquired a millisecond before that.)
		assertThat(Long.parseLong(items.get(1).get("start"))).as("the second holder acquired after the first")
			.isGreaterThan(Long.parseLong(items.get(0).get("start")));
		assertThat(Long.parseLong(items.get(1).get("end"))).as("the second holder released after the first")
			.isGreaterThan(Long.parseLong(items.get(0).get("end")));
		assertThat(items.get(1).get("text")).contains("after waiting");
		assertThat(this.browser.findElements(By.cssSelector(
				"section.key[data-key='locks:sample:room:organ:friday-5pm'] svg rect.hold"))).hasSize(2);
	}

	@SuppressWarnings("unchecked")
	private List<Map<String, String>> handoffs(String selector) {
		return (List<Map<String, String>>) ((JavascriptExecutor) this.browser).executeScript(
				"return Array.from(document.querySelectorAll(arguments[0])).map((li) => ({holder: li.dataset.holder || '', "
						+ "start: li.dataset.start || '', end: li.dataset.end || '', text: li.textContent}));",
				selector);
	}

}
