package dev.redlock.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy against a real redis-server. Timings are asserted only from below (a fault must
 * cost at least what it injects) or with generous upper bounds, so a slow machine passes.
 */
class FaultProxyTest {

	private static final Duration GENEROUS = Duration.ofSeconds(20);

	/** Long enough to tell "no answer" from a slow answer on a loaded machine. */
	private static final Duration SILENCE = Duration.ofMillis(700);

	private static final byte[] PING = "*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII);

	private static RedisServer redis;

	private FaultProxy proxy;

	@BeforeAll
	static void startServer() {
		redis = RedisServer.start();
	}

	@AfterAll
	static void stopServer() {
		redis.close();
	}

	@BeforeEach
	void startProxy() {
		if (!redis.isRunning()) {
			redis.restart();
		}
		redis.flushAll();
		proxy = FaultProxy.to(redis);
	}

	@AfterEach
	void closeProxy() {
		proxy.close();
	}

	@Test
	void forwardsCommandsToTheNode() throws IOException {
		assertThat(proxy.port()).isNotEqualTo(redis.port());
		assertThat(proxy.uri()).isEqualTo("redis://127.0.0.1:" + proxy.port());
		try (RespClient client = connect()) {
			assertThat(client.call("PING").toString()).isEqualTo("+PONG");
			assertThat(client.call("SET", "key", "through the proxy").toString()).isEqualTo("+OK");
		}
		assertThat(Probes.call(redis, "GET", "key")).isEqualTo("$through the proxy");
		assertThat(proxy).hasToString("FaultProxy[127.0.0.1:" + proxy.port() + " -> 127.0.0.1:" + redis.port()
				+ ", latency 0 ms]");
	}

	@Test
	void latencyDelaysEveryRoundTripByTwiceItsValue() throws IOException {
		try (RespClient client = connect()) {
			client.call("PING");
			proxy.latency(Duration.ofMillis(150));
			long started = System.nanoTime();
			assertThat(client.call("PING").toString()).isEqualTo("+PONG");
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300))
					.isLessThan(GENEROUS);
			proxy.heal();
			assertThat(proxy.latency()).isZero();
			assertThat(client.call("PING").toString()).isEqualTo("+PONG");
		}
	}

	@Test
	void latencyChangesNeverReorderBytes() throws IOException {
		int commands = 200;
		try (Socket socket = rawConnect()) {
			StringBuilder pipeline = new StringBuilder();
			for (int i = 0; i < commands; i++) {
				pipeline.append("*2\r\n$4\r\nINCR\r\n$7\r\ncounter\r\n");
			}
			byte[] bytes = pipeline.toString().getBytes(StandardCharsets.US_ASCII);
			// Written in pieces while the latency drops: later pieces are due sooner, yet must
			// still arrive after the earlier ones, or the node would see garbled commands.
			int pieces = 8;
			int size = bytes.length / pieces + 1;
			for (int piece = 0; piece < pieces; piece++) {
				proxy.latency(Duration.ofMillis(40L * (pieces - piece)));
				int from = piece * size;
				socket.getOutputStream().write(bytes, from, Math.min(size, bytes.length - from));
				socket.getOutputStream().flush();
			}
			proxy.heal();
			StringBuilder expected = new StringBuilder();
			for (int i = 1; i <= commands; i++) {
				expected.append(':').append(i).append("\r\n");
			}
			assertThat(readExactly(socket, expected.length())).isEqualTo(expected.toString());
		}
	}

	@Test
	void aBlackholeHoldsTrafficUntilHealed() throws IOException {
		try (Socket socket = rawConnect()) {
			assertThat(ping(socket)).isEqualTo("+PONG\r\n");
			proxy.blackhole();
			assertThat(proxy.isBlackholed()).isTrue();
			socket.getOutputStream().write(PING);
			socket.setSoTimeout(Math.toIntExact(SILENCE.toMillis()));
			assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);

			proxy.heal();
			// What was held is delivered late, as TCP retransmissions would be.
			socket.setSoTimeout(Math.toIntExact(GENEROUS.toMillis()));
			assertThat(readExactly(socket, 7)).isEqualTo("+PONG\r\n");
		}
	}

	@Test
	void aBlackholeAcceptsNewConnectionsButNeverAnswersThemUntilHealed() throws IOException {
		proxy.blackhole();
		try (Socket socket = rawConnect()) {
			socket.getOutputStream().write(PING);
			socket.setSoTimeout(Math.toIntExact(SILENCE.toMillis()));
			assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
			assertThat(redis.isRunning()).isTrue();

			proxy.heal();
			socket.setSoTimeout(Math.toIntExact(GENEROUS.toMillis()));
			assertThat(readExactly(socket, 7)).isEqualTo("+PONG\r\n");
		}
	}

	@Test
	void droppingConnectionsClosesCurrentOnesAndKeepsAcceptingNewOnes() throws IOException {
		try (Socket first = rawConnect(); Socket second = rawConnect()) {
			assertThat(ping(first)).isEqualTo("+PONG\r\n");
			assertThat(ping(second)).isEqualTo("+PONG\r\n");
			await().atMost(GENEROUS).until(() -> proxy.connectionCount() == 2);

			assertThat(proxy.dropConnections()).isEqualTo(2);

			assertThat(proxy.connectionCount()).isZero();
			assertClosedByPeer(first);
			assertClosedByPeer(second);
		}
		try (RespClient client = connect()) {
			assertThat(client.call("PING").toString()).isEqualTo("+PONG");
		}
	}

	@Test
	void aKilledNodeClosesConnectionsThroughTheProxyUntilRestarted() throws IOException {
		try (Socket socket = rawConnect()) {
			assertThat(ping(socket)).isEqualTo("+PONG\r\n");
			redis.kill();
			assertClosedByPeer(socket);
		}
		try (Socket refused = rawConnect()) {
			assertClosedByPeer(refused);
		}
		redis.restart();
		try (RespClient client = connect()) {
			assertThat(client.call("PING").toString()).isEqualTo("+PONG");
		}
	}

	@Test
	void closingStopsEveryThreadAndTheListener() throws IOException {
		try (Socket socket = rawConnect()) {
			assertThat(ping(socket)).isEqualTo("+PONG\r\n");
			proxy.blackhole();
			try (Socket held = rawConnect()) {
				held.getOutputStream().write(PING);
				assertThat(proxy.liveThreadNames()).isNotEmpty().allMatch((name) -> name.startsWith("fault-proxy-"));

				proxy.close();

				await().atMost(GENEROUS).until(() -> proxy.liveThreadNames().isEmpty());
				assertClosedByPeer(socket);
				assertClosedByPeer(held);
			}
		}
		assertThatThrownBy(this::rawConnect).isInstanceOf(ConnectException.class);
		proxy.close();
	}

	@Test
	void rejectsANegativeLatency() {
		assertThatIllegalArgumentException().isThrownBy(() -> proxy.latency(Duration.ofMillis(-1)))
				.withMessageContaining("Latency must be zero or positive");
	}

	@Test
	void proxiesStandInFrontOfEveryServerOfAGroup() throws IOException {
		try (RedisServers servers = RedisServers.start(3); FaultProxies proxies = FaultProxies.to(servers)) {
			assertThat(proxies.size()).isEqualTo(3);
			assertThat(proxies.uris()).hasSize(3).doesNotContainAnyElementsOf(servers.uris());
			for (int i = 0; i < 3; i++) {
				try (RespClient client = RespClient.connect("127.0.0.1", proxies.get(i).port(), GENEROUS)) {
					client.call("SET", "node", Integer.toString(i));
				}
				assertThat(Probes.call(servers.get(i), "GET", "node")).isEqualTo("$" + i);
			}
			proxies.get(0).blackhole();
			proxies.get(1).latency(Duration.ofMillis(10));
			proxies.healAll();
			assertThat(proxies.stream().noneMatch(FaultProxy::isBlackholed)).isTrue();
			assertThat(proxies.get(1).latency()).isZero();
		}
	}

	private RespClient connect() throws IOException {
		return RespClient.connect(proxy.host(), proxy.port(), GENEROUS);
	}

	private Socket rawConnect() throws IOException {
		Socket socket = new Socket();
		try {
			socket.connect(new InetSocketAddress(proxy.host(), proxy.port()), Math.toIntExact(GENEROUS.toMillis()));
			socket.setSoTimeout(Math.toIntExact(GENEROUS.toMillis()));
			return socket;
		}
		catch (IOException e) {
			socket.close();
			throw e;
		}
	}

	private static String ping(Socket socket) throws IOException {
		socket.getOutputStream().write(PING);
		return readExactly(socket, 7);
	}

	private static String readExactly(Socket socket, int length) throws IOException {
		byte[] bytes = socket.getInputStream().readNBytes(length);
		return new String(bytes, StandardCharsets.US_ASCII);
	}

	/** The proxy closed the connection: reading ends (end of stream or reset) instead of timing out. */
	private static void assertClosedByPeer(Socket socket) throws IOException {
		socket.setSoTimeout(Math.toIntExact(GENEROUS.toMillis()));
		InputStream in = socket.getInputStream();
		try {
			assertThat(in.read()).isEqualTo(-1);
		}
		catch (SocketTimeoutException e) {
			throw new AssertionError("The connection was not closed within " + GENEROUS, e);
		}
		catch (IOException e) {
			assertThat(e).hasMessageContaining("reset");
		}
	}
}
