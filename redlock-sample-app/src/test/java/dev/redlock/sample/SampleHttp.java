package dev.redlock.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A plain HTTP client for the app on a port: tests see what a real client sees. */
final class SampleHttp {

	private final HttpClient http = HttpClient.newHttpClient();

	private final int port;

	SampleHttp(int port) {
		this.port = port;
	}

	HttpResponse<String> get(String path) {
		return send("GET", path, null);
	}

	HttpResponse<String> post(String path, String body) {
		return send("POST", path, body);
	}

	CompletableFuture<HttpResponse<String>> postAsync(String path, String body) {
		return this.http.sendAsync(request("POST", path, body), HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> send(String method, String path, String body) {
		try {
			return this.http.send(request(method, path, body), HttpResponse.BodyHandlers.ofString());
		}
		catch (Exception ex) {
			throw new IllegalStateException(method + " " + path + " failed", ex);
		}
	}

	private HttpRequest request(String method, String path, String body) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofMinutes(2))
			.header("Content-Type", "application/json")
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody())
			.build();
	}

}
