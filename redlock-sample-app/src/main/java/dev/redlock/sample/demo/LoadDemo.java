package dev.redlock.sample.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.redlock.testkit.RedisServer;
import dev.redlock.testkit.RedisServers;

/**
 * The load demo: two app instances on ports 8080 and 8081 against the same three nodes,
 * 1,000 concurrent bookings of one slot and 1,000 concurrent purchases of 100 units, spread
 * over both instances, with and without the lock. Run it with {@code redlock-sample-app/load-demo.sh}, and
 * watch the handoffs at {@code http://localhost:8080/}; {@code --keep} leaves both instances running
 * after the table, until Enter.
 */
public final class LoadDemo {

	private static final int REQUESTS = 1000;

	private static final int STOCK = 100;

	private static final int[] PORTS = { 8080, 8081 };

	private final HttpClient http;

	private LoadDemo(ExecutorService executor) {
		this.http = HttpClient.newBuilder().executor(executor).connectTimeout(Duration.ofSeconds(10)).build();
	}

	public static void main(String[] args) throws Exception {
		if (args.length < 1 || args.length > 2 || (args.length == 2 && !args[1].equals("--keep"))) {
			throw new IllegalArgumentException("usage: LoadDemo <path to redlock-sample-app.jar> [--keep]");
		}
		boolean keep = args.length == 2;
		List<Process> apps = new ArrayList<>();
		ExecutorService executor = Executors.newFixedThreadPool(32);
		try (RedisServers nodes = RedisServers.start(3); RedisServer store = RedisServer.start()) {
			System.out.println("Nodes " + nodes.uris() + ", data store " + store.uri());
			for (int port : PORTS) {
				apps.add(startApp(Path.of(args[0]), port, nodes.uris(), store.uri()));
			}
			LoadDemo demo = new LoadDemo(executor);
			for (int port : PORTS) {
				demo.awaitUp(port);
			}
			System.out.println("Watch the locks being handed over at http://localhost:8080/ (either instance's page shows both)");
			demo.warmUp();
			List<Row> rows = new ArrayList<>();
			demo.booking(true, rows);
			demo.booking(false, rows);
			demo.purchase(true, rows);
			demo.purchase(false, rows);
			print(rows);
			if (keep) {
				System.out.println("Both instances keep running (--keep): http://localhost:8080/ ; press Enter to stop");
				System.in.read();
			}
		}
		finally {
			apps.forEach(Process::destroy);
			for (Process app : apps) {
				if (!app.waitFor(20, TimeUnit.SECONDS)) {
					app.destroyForcibly();
				}
			}
			executor.shutdownNow();
		}
	}

	private static Process startApp(Path jar, int port, List<String> nodes, String store) throws IOException {
		Path log = Path.of("target", "load-demo-" + port + ".log");
		Files.createDirectories(log.getParent());
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = List.of(java, "-jar", jar.toString(), "--server.port=" + port,
				"--redlock.nodes=" + String.join(",", nodes), "--spring.data.redis.url=" + store,
				"--sample.instance=" + port, "--server.tomcat.threads.max=400");
		System.out.println("Starting instance on port " + port + " (log: " + log + ")");
		return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
	}

	private void awaitUp(int port) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
		while (System.nanoTime() < deadline) {
			try {
				if (send("GET", port, "/stock/ping", null).statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// Not listening yet.
			}
			Thread.sleep(250);
		}
		throw new IllegalStateException("The instance on port " + port + " did not start; see target/load-demo-" + port + ".log");
	}

	/**
	 * A cold JVM answers its first burst of requests slowly enough for per-node timeouts to
	 * fire; a warm-up on other keys keeps the measured runs about locking, not the JIT.
	 */
	private void warmUp() {
		System.out.println("Warming up both instances...");
		for (int round = 0; round < 3; round++) {
			fire((i) -> post(PORTS[i % 2], "/rooms/warm-up/slots/slot-" + (i % 50) + "/book", "{\"user\":\"u" + i + "\"}"));
			fire((i) -> post(PORTS[i % 2], "/stock/warm-up-" + (i % 50) + "/purchase", ""));
		}
	}

	private void booking(boolean locked, List<Row> rows) throws Exception {
		String path = "/rooms/piano-1/slots/" + (locked ? "monday-9am" : "monday-10am");
		send("DELETE", PORTS[0], path, null);
		Outcome outcome = fire((i) -> post(PORTS[i % 2], path + "/book?locked=" + locked, "{\"user\":\"user-" + i + "\"}"));
		String state = send("GET", PORTS[0], path, null).body();
		rows.add(new Row("Booking one slot", locked, Map.of("201 booked", outcome.count(201), "409 refused", outcome.count(409),
				"other answers", outcome.others(), "users told they booked it", number(state, "confirmations"),
				"took", outcome.took())));
	}

	private void purchase(boolean locked, List<Row> rows) throws Exception {
		String item = locked ? "widget-a" : "widget-b";
		send("PUT", PORTS[0], "/stock/" + item, "{\"quantity\":" + STOCK + "}");
		Outcome outcome = fire((i) -> post(PORTS[i % 2], "/stock/" + item + "/purchase?locked=" + locked, ""));
		String state = send("GET", PORTS[0], "/stock/" + item, null).body();
		int sold = outcome.count(200);
		rows.add(new Row("Buying " + STOCK + " units", locked, Map.of("200 sold", sold, "409 sold out", outcome.count(409),
				"other answers", outcome.others(), "stock left", number(state, "left"),
				"oversold", Math.max(0, sold - STOCK), "took", outcome.took())));
	}

	/** Sends {@link #REQUESTS} requests at once and waits for every answer. */
	private Outcome fire(IntFunction<CompletableFuture<HttpResponse<String>>> request) {
		long started = System.nanoTime();
		List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
		for (int i = 0; i < REQUESTS; i++) {
			all.add(request.apply(i));
		}
		List<Integer> statuses = all.stream().map((f) -> {
			try {
				return f.get(5, TimeUnit.MINUTES).statusCode();
			}
			catch (Exception ex) {
				return -1;
			}
		}).toList();
		return new Outcome(statuses, Duration.ofNanos(System.nanoTime() - started));
	}

	private CompletableFuture<HttpResponse<String>> post(int port, String path, String body) {
		return this.http.sendAsync(request("POST", port, path, body), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> send(String method, int port, String path, String body)
			throws IOException, InterruptedException {
		return this.http.send(request(method, port, path, body), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpRequest request(String method, int port, String path, String body) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofMinutes(2))
			.header("Content-Type", "application/json")
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody())
			.build();
	}

	private static int number(String json, String field) {
		Matcher matcher = Pattern.compile("\"" + field + "\"\\s*:\\s*(-?\\d+)").matcher(json);
		return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
	}

	private static void print(List<Row> rows) {
		System.out.println();
		System.out.printf(Locale.ROOT, "%-20s %-28s %12s %12s%n", "scenario", "", "locked", "unlocked");
		for (int i = 0; i < rows.size(); i += 2) {
			Row locked = rows.get(i);
			Row unlocked = rows.get(i + 1);
			for (String measure : locked.values().keySet().stream().sorted(LoadDemo::byDisplayOrder).toList()) {
				System.out.printf(Locale.ROOT, "%-20s %-28s %12s %12s%n", locked.scenario(), measure,
						locked.values().get(measure), unlocked.values().get(measure));
			}
		}
	}

	private static int byDisplayOrder(String a, String b) {
		List<String> order = List.of("201 booked", "200 sold", "409 refused", "409 sold out", "other answers",
				"users told they booked it", "stock left", "oversold", "took");
		return Integer.compare(order.indexOf(a), order.indexOf(b));
	}

	private record Row(String scenario, boolean locked, Map<String, Object> values) {
	}

	private record Outcome(List<Integer> statuses, Duration elapsed) {

		int count(int status) {
			return (int) this.statuses.stream().filter((s) -> s == status).count();
		}

		String others() {
			Map<Integer, Long> others = this.statuses.stream()
				.filter((s) -> s != 200 && s != 201 && s != 409)
				.collect(Collectors.groupingBy((s) -> s, Collectors.counting()));
			return others.isEmpty() ? "0" : others.toString();
		}

		String took() {
			return String.format(Locale.ROOT, "%.1f s", this.elapsed.toMillis() / 1000.0);
		}

	}

}
