package dev.redlock.spring.boot;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.redlock.Lock;
import dev.redlock.LockAcquisitionException;
import dev.redlock.Redlock;
import dev.redlock.testkit.TlsCertificates;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The starter on secured nodes, configured through {@code redlock.nodes} alone: a password
 * ({@code requirepass}), an ACL user with the default user off, and TLS ({@code rediss://})
 * with a certificate authority made at test time, trusted through a
 * {@link RedlockClientCustomizer} bean. In each, a {@code @DistributedLock} method runs under
 * a lock that every node holds, the lock is gone afterwards, and the health indicator, whose
 * pings must authenticate too, is UP.
 */
class SecuredConnectionTests {

	private static final String PASSWORD = "requirepass-5c2e";

	private static final String ALICE_PASSWORD = "alice-93fd";

	@TempDir
	static Path certificates;

	private static TlsCertificates tls;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RedlockAutoConfiguration.class))
		.withConfiguration(BootLine.health())
		.withPropertyValues("redlock.command-timeout=2s")
		.withBean(Accounts.class);

	private SecuredServers servers;

	@BeforeAll
	static void generateCertificates() {
		tls = TlsCertificates.generate(certificates);
	}

	@AfterEach
	void stopServers() {
		if (this.servers != null) {
			this.servers.close();
		}
	}

	@Test
	void locksOnPasswordProtectedNodes() {
		this.servers = SecuredServers.start(3, "--requirepass", PASSWORD);
		this.runner.withPropertyValues(this.servers.nodes((server) -> "redis://:" + PASSWORD + "@127.0.0.1:" + server.port()))
			.run((context) -> assertLocksWork(context, RedisURI.builder().withPassword(PASSWORD.toCharArray())));
	}

	@Test
	void locksWithAPasswordThatIsPercentEncodedInTheUri() {
		String password = "p@ss:w/rd#1";
		this.servers = SecuredServers.start(3, "--requirepass", password);
		this.runner
			.withPropertyValues(
					this.servers.nodes((server) -> "redis://:p%40ss%3Aw%2Frd%231@127.0.0.1:" + server.port()))
			.run((context) -> assertLocksWork(context, RedisURI.builder().withPassword(password.toCharArray())));
	}

	@Test
	void locksAsAnAclUserWithTheDefaultUserOff() {
		this.servers = SecuredServers.start(3, SecuredServers.aliceOnly(ALICE_PASSWORD));
		this.runner
			.withPropertyValues(
					this.servers.nodes((server) -> "redis://alice:" + ALICE_PASSWORD + "@127.0.0.1:" + server.port()))
			.run((context) -> assertLocksWork(context,
					RedisURI.builder().withAuthentication("alice", ALICE_PASSWORD.toCharArray())));
	}

	/**
	 * The least an ACL user needs, as the README lists it: these commands, keys and channel.
	 * Release notifications work too: a waiter that would poll only every 30 s gets the lock
	 * at once on release. The test reads the nodes as a user of its own.
	 */
	@Test
	void locksAsAnAclUserAllowedOnlyWhatRedlockNeeds() throws Exception {
		this.servers = SecuredServers.start(3, "--user", "default", "off", "--user", "inspector", "on", ">" + PASSWORD, "~*",
				"&*", "+@all", "--user", "locker", "on", ">" + ALICE_PASSWORD, "resetchannels", "~locks:*",
				"&redlock:releases:*", "-@all", "+@connection", "+set", "+get", "+exists", "+pexpire", "+del", "+eval",
				"+evalsha", "+publish", "+subscribe", "+unsubscribe");
		RedisURI.Builder inspector = RedisURI.builder().withAuthentication("inspector", PASSWORD.toCharArray());
		this.runner
			.withPropertyValues(
					this.servers.nodes((server) -> "redis://locker:" + ALICE_PASSWORD + "@127.0.0.1:" + server.port()))
			.withPropertyValues("redlock.retry.delay=30s", "redlock.retry.jitter=0")
			.run((context) -> {
				assertLocksWork(context, inspector);
				Redlock redlock = context.getBean(Redlock.class);
				Lock held = redlock.acquire("locks:handoff", Duration.ofSeconds(10));
				CompletableFuture<Lock> waiting = redlock
					.acquireAsync(List.of("locks:handoff"), Duration.ofSeconds(10), Duration.ofSeconds(25))
					.toCompletableFuture();
				await().atMost(Duration.ofSeconds(20))
					.until(() -> this.servers.subscribers(inspector, "redlock:releases:locks:handoff") > 0);
				held.release();
				Lock next = waiting.get(20, TimeUnit.SECONDS);
				assertThat(next.isHeld()).isTrue();
				next.release();
			});
	}

	@Test
	void locksOverTlsWithTheAuthorityTrustedByACustomizer() {
		this.servers = SecuredServers.startTls(3, tls);
		this.runner.withPropertyValues(this.servers.nodes((server) -> server.tlsUri()))
			.withUserConfiguration(TrustTestAuthority.class)
			.run((context) -> {
				assertThat(context.getBean(Redlock.class).nodes()).allMatch((node) -> node.startsWith("rediss://127.0.0.1:"));
				assertLocksWork(context, RedisURI.builder());
			});
	}

	@Test
	void locksOverTlsAsAnAclUser() {
		this.servers = SecuredServers.startTls(3, tls, SecuredServers.aliceOnly(ALICE_PASSWORD));
		this.runner
			.withPropertyValues(
					this.servers.nodes((server) -> "rediss://alice:" + ALICE_PASSWORD + "@127.0.0.1:" + server.tlsPort()))
			.withUserConfiguration(TrustTestAuthority.class)
			.run((context) -> assertLocksWork(context,
					RedisURI.builder().withAuthentication("alice", ALICE_PASSWORD.toCharArray())));
	}

	@Test
	void tlsFailsWithoutTheCustomizerThatTrustsTheAuthority() {
		this.servers = SecuredServers.startTls(3, tls);
		this.runner.withPropertyValues(this.servers.nodes((server) -> server.tlsUri()))
			.withPropertyValues("redlock.command-timeout=500ms")
			.run((context) -> assertRefused(context));
	}

	@Test
	void aWrongPasswordFailsTheLockedCall() {
		this.servers = SecuredServers.start(3, "--requirepass", PASSWORD);
		this.runner.withPropertyValues(this.servers.nodes((server) -> "redis://:wrong-" + PASSWORD + "@127.0.0.1:" + server.port()))
			.withPropertyValues("redlock.command-timeout=500ms")
			.run((context) -> assertRefused(context));
	}

	@Test
	void theDefaultUserIsRefusedWhereOnlyAnAclUserMayLock() {
		this.servers = SecuredServers.start(3, SecuredServers.aliceOnly(ALICE_PASSWORD));
		this.runner
			.withPropertyValues(
					this.servers.nodes((server) -> "redis://default:" + ALICE_PASSWORD + "@127.0.0.1:" + server.port()))
			.withPropertyValues("redlock.command-timeout=500ms")
			.run((context) -> assertRefused(context));
	}

	/**
	 * The annotated method holds the lock on every node, with its own token; the core API
	 * works on the same nodes; nothing is left behind; the health check is UP.
	 */
	private void assertLocksWork(AssertableApplicationContext context, RedisURI.Builder inspectAs) {
		assertThat(context).hasNotFailed();
		String key = "locks:account:42";
		List<String> heldAs = context.getBean(Accounts.class).locked("42", (lock) -> {
			assertThat(lock.resources()).containsExactly(key);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> this.servers.values(inspectAs, key).stream().allMatch(lock.value()::equals));
			return this.servers.values(inspectAs, key);
		});
		assertThat(heldAs).hasSize(3).doesNotContainNull();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.servers.values(inspectAs, key).stream().allMatch((value) -> value == null));

		try (Lock lock = context.getBean(Redlock.class).acquire("locks:direct", Duration.ofSeconds(10))) {
			assertThat(lock.isHeld()).isTrue();
		}
		assertThat(BootLine.health(context).status()).isEqualTo("UP");
	}

	private static void assertRefused(AssertableApplicationContext context) {
		assertThat(context).as("a node that refuses the client costs votes, not the start").hasNotFailed();
		assertThatExceptionOfType(LockAcquisitionException.class)
			.isThrownBy(() -> context.getBean(Accounts.class).locked("7", (lock) -> lock))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(LockAcquisitionException.Reason.QUORUM_UNREACHABLE));
		assertThat(BootLine.health(context).status()).isEqualTo("DOWN");
	}

	/** What an application does to trust its own certificate authority: a customizer bean. */
	@Configuration(proxyBeanMethods = false)
	static class TrustTestAuthority {

		@Bean
		RedlockClientCustomizer trustTestAuthority() {
			// Trusts the authority; Lettuce still checks that the certificate names 127.0.0.1.
			SslOptions ssl = SslOptions.builder().jdkSslProvider().trustManager(tls.caCertificate().toFile()).build();
			return (client) -> client.setOptions(client.getOptions().mutate().sslOptions(ssl).build());
		}

	}

}
