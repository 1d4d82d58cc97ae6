package dev.redlock;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.redlock.testkit.RedisServer;
import dev.redlock.testkit.TlsCertificates;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Locks over secured connections: a password ({@code requirepass}), an ACL user with the
 * default user switched off, and TLS ({@code rediss://}) with a certificate made at test time
 * and trusted through Lettuce's {@link SslOptions}, set with the builder's client customizer.
 * Each works end to end, release notifications included (their Pub/Sub connections must
 * authenticate too), and each refuses a client without the right credentials or trust.
 */
class SecuredConnectionTests {

	private static final String PASSWORD = "requirepass-8d1e";

	private static final String ALICE_PASSWORD = "alice-4be7";

	private static final String[] ALICE_ONLY = { "--user", "default", "off", "--user", "alice", "on", ">" + ALICE_PASSWORD,
			"~*", "&*", "+@all" };

	private static final Duration GENEROUS = Duration.ofSeconds(30);

	@TempDir
	static Path certificates;

	private static TlsCertificates tls;

	private final List<RedisServer> servers = new ArrayList<>();

	private final List<Redlock> redlocks = new ArrayList<>();

	@BeforeAll
	static void generateCertificates() {
		tls = TlsCertificates.generate(certificates);
	}

	@AfterEach
	void stop() {
		this.redlocks.forEach(Redlock::close);
		this.servers.forEach(RedisServer::close);
	}

	@Test
	void locksOnPasswordProtectedNodes() throws Exception {
		start(3, (index) -> RedisServer.builder().args("--requirepass", PASSWORD).start());
		List<String> uris = uris((server) -> "redis://:" + PASSWORD + "@127.0.0.1:" + server.port());
		assertLocksWork(uris, (client) -> {
		}, RedisURI.builder().withPassword(PASSWORD.toCharArray()));
		assertRefused(uris((server) -> server.uri()), (client) -> {
		});
		assertRefused(uris((server) -> "redis://:wrong@127.0.0.1:" + server.port()), (client) -> {
		});
	}

	@Test
	void locksAsAnAclUserWithTheDefaultUserOff() throws Exception {
		start(3, (index) -> RedisServer.builder().args(ALICE_ONLY).start());
		List<String> uris = uris((server) -> "redis://alice:" + ALICE_PASSWORD + "@127.0.0.1:" + server.port());
		assertLocksWork(uris, (client) -> {
		}, RedisURI.builder().withAuthentication("alice", ALICE_PASSWORD.toCharArray()));
		assertRefused(uris((server) -> server.uri()), (client) -> {
		});
		assertRefused(uris((server) -> "redis://alice:wrong@127.0.0.1:" + server.port()), (client) -> {
		});
		assertRefused(uris((server) -> "redis://default:" + ALICE_PASSWORD + "@127.0.0.1:" + server.port()), (client) -> {
		});
	}

	@Test
	void locksOverTls() throws Exception {
		start(3, (index) -> RedisServer.builder().tls(tls).start());
		List<String> uris = uris((server) -> server.tlsUri());
		assertThat(uris).allMatch((uri) -> uri.startsWith("rediss://127.0.0.1:"));
		assertLocksWork(uris, trustTestAuthority(), RedisURI.builder());
	}

	@Test
	void locksOverTlsAsAnAclUser() throws Exception {
		start(3, (index) -> RedisServer.builder().tls(tls).args(ALICE_ONLY).start());
		List<String> uris = uris((server) -> "rediss://alice:" + ALICE_PASSWORD + "@127.0.0.1:" + server.tlsPort());
		assertLocksWork(uris, trustTestAuthority(), RedisURI.builder().withAuthentication("alice", ALICE_PASSWORD.toCharArray()));
		assertRefused(uris((server) -> "rediss://alice:wrong@127.0.0.1:" + server.tlsPort()), trustTestAuthority());
	}

	@Test
	void tlsRefusesAServerTheClientDoesNotTrust() {
		start(3, (index) -> RedisServer.builder().tls(tls).start());
		// Without the test authority in its trust store, the JDK's defaults reject the certificate.
		assertRefused(uris((server) -> server.tlsUri()), (client) -> {
		});
	}

	/**
	 * A holder, a second client refused while it holds, and a waiter that gets the lock on
	 * release: it polls only every 30 s, so it gets it in time only through a release
	 * notification, which needs the Pub/Sub connections to authenticate (and to speak TLS).
	 */
	private void assertLocksWork(List<String> uris, Consumer<RedisClient> customizer, RedisURI.Builder inspectAs)
			throws Exception {
		Redlock holder = redlock(uris, customizer, Redlock.builder());
		Redlock waiter = redlock(uris, customizer,
				Redlock.builder().retryDelay(Duration.ofSeconds(30)).retryJitter(Duration.ZERO));
		assertThat(holder.toString()).doesNotContain(PASSWORD, ALICE_PASSWORD);

		Lock lock = holder.acquire("locks:secured", Duration.ofSeconds(10));
		await().atMost(GENEROUS).until(() -> valuesEverywhere(inspectAs, "locks:secured").stream().allMatch(lock.value()::equals));
		assertThat(waiter.tryAcquire("locks:secured", Duration.ofSeconds(10))).isEmpty();
		lock.extend(Duration.ofSeconds(20));

		CompletableFuture<Lock> waiting = waiter.acquireAsync(List.of("locks:secured"), Duration.ofSeconds(10), GENEROUS)
			.toCompletableFuture();
		// The waiter listens on its own channel, in the key's waiting line.
		await().atMost(GENEROUS).until(() -> inspect(0, inspectAs, (redis) -> redis.pubsubChannels("redlock:releases:locks:secured@*")
			.size()) > 0);
		lock.release();
		Lock next = waiting.get(GENEROUS.toSeconds() - 5, TimeUnit.SECONDS);
		assertThat(next.isHeld()).isTrue();
		next.release();
		for (int i = 0; i < this.servers.size(); i++) {
			int node = i;
			List<String> keys = inspect(node, inspectAs, (redis) -> redis.keys("*"));
			assertThat(keys).as("keys on node %d", node).isEmpty();
		}
	}

	private void assertRefused(List<String> uris, Consumer<RedisClient> customizer) {
		Redlock redlock = redlock(uris, customizer, Redlock.builder().retryCount(1).retryDelay(Duration.ofMillis(50)));
		assertThatExceptionOfType(LockAcquisitionException.class)
			.isThrownBy(() -> redlock.acquire("locks:refused", Duration.ofSeconds(10)))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(LockAcquisitionException.Reason.QUORUM_UNREACHABLE));
	}

	/** Lettuce trusts the test authority; it still checks that the certificate names 127.0.0.1. */
	private static Consumer<RedisClient> trustTestAuthority() {
		SslOptions ssl = SslOptions.builder().jdkSslProvider().trustManager(tls.caCertificate().toFile()).build();
		return (client) -> client.setOptions(client.getOptions().mutate().sslOptions(ssl).build());
	}

	private void start(int count, Function<Integer, RedisServer> starter) {
		for (int i = 0; i < count; i++) {
			this.servers.add(starter.apply(i));
		}
	}

	private List<String> uris(Function<RedisServer, String> uri) {
		return this.servers.stream().map(uri).toList();
	}

	private Redlock redlock(List<String> uris, Consumer<RedisClient> customizer, RedlockBuilder builder) {
		Redlock redlock = builder.nodes(uris)
			.commandTimeout(Duration.ofSeconds(2))
			.clientCustomizer(customizer)
			.build();
		this.redlocks.add(redlock);
		return redlock;
	}

	private List<String> valuesEverywhere(RedisURI.Builder inspectAs, String key) {
		List<String> values = new ArrayList<>();
		for (int i = 0; i < this.servers.size(); i++) {
			values.add(inspect(i, inspectAs, (redis) -> redis.get(key)));
		}
		return values;
	}

	/** Reads a node through its plain-text port, with the given credentials. */
	private <T> T inspect(int node, RedisURI.Builder as, Function<RedisCommands<String, String>, T> command) {
		RedisURI uri = as.withHost("127.0.0.1").withPort(this.servers.get(node).port()).withSsl(false).build();
		RedisClient client = RedisClient.create();
		try (StatefulRedisConnection<String, String> connection = client.connect(uri)) {
			return command.apply(connection.sync());
		}
		finally {
			client.shutdown();
		}
	}

}
