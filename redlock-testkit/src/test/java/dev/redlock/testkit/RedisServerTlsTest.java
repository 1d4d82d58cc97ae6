package dev.redlock.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server with a TLS port, using certificates generated with keytool at test time. */
class RedisServerTlsTest {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@TempDir
	static Path certificates;

	private static TlsCertificates tls;

	@BeforeAll
	static void generate() {
		tls = TlsCertificates.generate(certificates);
	}

	@Test
	void generatesACertificateForLoopbackSignedByATestAuthority() throws Exception {
		assertThat(tls.caCertificate()).exists().content().startsWith("-----BEGIN CERTIFICATE-----");
		assertThat(tls.certificate()).exists().content().startsWith("-----BEGIN CERTIFICATE-----");
		assertThat(tls.privateKey()).exists().content().startsWith("-----BEGIN PRIVATE KEY-----");
		assertThat(tls.serverCertificate().getSubjectAlternativeNames())
				.anySatisfy((name) -> assertThat(name.get(1)).isEqualTo("127.0.0.1"));
		assertThat(tls.serverCertificate().getIssuerX500Principal().getName()).contains("Redlock Test CA");
	}

	@Test
	void servesTlsBesideThePlainPortAcrossRestarts() throws IOException {
		try (RedisServer redis = RedisServer.builder().tls(tls).start()) {
			assertThat(redis.tlsPort()).isPositive().isNotEqualTo(redis.port());
			assertThat(redis.tlsUri()).isEqualTo("rediss://127.0.0.1:" + redis.tlsPort());
			assertThat(tlsPing(redis, tls.clientContext())).isEqualTo("+PONG");
			int port = redis.tlsPort();

			redis.restart();

			assertThat(redis.tlsPort()).isEqualTo(port);
			assertThat(tlsPing(redis, tls.clientContext())).isEqualTo("+PONG");
		}
	}

	@Test
	void aClientThatDoesNotTrustTheAuthorityIsRefused(@TempDir Path other) {
		SSLContext stranger = TlsCertificates.generate(other).clientContext();
		try (RedisServer redis = RedisServer.builder().tls(tls).start()) {
			assertThatThrownBy(() -> tlsPing(redis, stranger)).isInstanceOf(SSLException.class);
		}
	}

	@Test
	void servesTlsWhenOnlyUsersTheTestkitCannotLogInAsExist() throws IOException {
		try (RedisServer redis = RedisServer.builder().tls(tls)
				.args("--user", "default", "off", "--user", "alice", "on", ">secret", "~*", "+@all").start()) {
			assertThat(tlsPing(redis, tls.clientContext())).startsWith("-NOAUTH");
		}
	}

	@Test
	void aBinaryThatCannotServeTlsIsReportedClearly(@TempDir Path bin) throws IOException {
		// Passes every argument on but the TLS ones: a redis-server built without TLS, in effect.
		Path withoutTls = bin.resolve("redis-server");
		Files.writeString(withoutTls, String.join("\n",
				"#!/bin/sh",
				"n=$#",
				"i=0",
				"while [ $i -lt $n ]; do",
				"  a=$1; shift; i=$((i + 1))",
				"  case $a in --tls-*) shift; i=$((i + 1)); continue ;; esac",
				"  set -- \"$@\" \"$a\"",
				"done",
				"exec '" + RedisServerBinary.locate() + "' \"$@\"",
				""));
		assertThat(withoutTls.toFile().setExecutable(true)).isTrue();
		assertThatIllegalStateException().isThrownBy(() -> RedisServer.builder().binary(withoutTls).tls(tls).start())
				.withMessageContaining("does not serve TLS")
				.withMessageContaining("install a TLS-capable redis-server");
	}

	@Test
	void aServerWithoutTlsHasNoTlsPort() {
		try (RedisServer redis = RedisServer.start()) {
			assertThatIllegalStateException().isThrownBy(redis::tlsPort).withMessageContaining("without TLS");
		}
	}

	@Test
	void theBundledBinaryCanBeChosenExplicitly() {
		Path bundled = RedisServerBinary.bundled();
		try (RedisServer redis = RedisServer.builder().binary(bundled).start()) {
			assertThat(redis.binary()).isEqualTo(bundled);
			assertThat(Probes.ping(redis)).isEqualTo("+PONG");
		}
	}

	private static String tlsPing(RedisServer redis, SSLContext context) throws IOException {
		try (RespClient client = RespClient.connectTls(redis.host(), redis.tlsPort(), TIMEOUT, context)) {
			return client.call("PING").toString();
		}
	}
}
