package dev.redlock.testkit;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;

/**
 * The TLS side of a server: a second port, chosen once so that it too survives restarts, the
 * {@code redis-server} arguments that open it, and one check that it really speaks TLS.
 */
final class TlsPort {

	/** A JVM's first TLS handshake loads and warms up a lot of code. */
	private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

	private final TlsCertificates certificates;

	private final int port;

	private TlsPort(TlsCertificates certificates, int port) {
		this.certificates = certificates;
		this.port = port;
	}

	/** {@return a TLS port for {@code certificates} on a free port, or {@code null} without certificates} */
	static TlsPort pick(TlsCertificates certificates) {
		return (certificates != null) ? new TlsPort(certificates, FreePorts.pick(RedisServer.HOST)) : null;
	}

	int port() {
		return port;
	}

	/** Clients are not asked for certificates: the tests only need the server's to be checked. */
	List<String> arguments() {
		return List.of("--tls-port", Integer.toString(port),
				"--tls-cert-file", certificates.certificate().toString(),
				"--tls-key-file", certificates.privateKey().toString(),
				"--tls-ca-cert-file", certificates.caCertificate().toString(),
				"--tls-auth-clients", "no");
	}

	/**
	 * Completes a handshake with the certificate the server was given and checks that it
	 * answers PING.
	 *
	 * @param password sent with AUTH first, or {@code null}
	 * @throws ConnectException if nothing listens on the port
	 * @throws IOException if the handshake fails or the answer is not a Redis one
	 */
	void ping(String password) throws IOException {
		try (RespClient client = RespClient.connectTls(RedisServer.HOST, port, PROBE_TIMEOUT,
				certificates.clientContext())) {
			if (password != null) {
				client.call("AUTH", password);
			}
			RespClient.Reply ping = client.call("PING");
			// NOAUTH: users set up in the arguments that the testkit cannot log in as; the
			// handshake and an answer in RESP show that TLS works all the same.
			if ("PONG".equals(ping.text()) || (ping.isError() && ping.text().startsWith("NOAUTH"))) {
				return;
			}
			throw new IOException("PING over TLS was answered with " + ping);
		}
	}
}
