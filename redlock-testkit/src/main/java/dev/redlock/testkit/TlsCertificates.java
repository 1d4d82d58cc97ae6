package dev.redlock.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * PEM files for a TLS-enabled {@link RedisServer}, made at test time: a throw-away certificate
 * authority and a server certificate it signed, valid for {@code 127.0.0.1} and
 * {@code localhost} for two days.
 *
 * <p>Made with the JDK's own {@code keytool}, so a fresh machine needs no {@code openssl}; the
 * private key is written out as PKCS#8 PEM, which is what {@code redis-server} reads.
 *
 * @param caCertificate the authority's certificate: what clients trust
 * @param certificate the server's certificate, signed by the authority
 * @param privateKey the server's private key, unencrypted
 */
public record TlsCertificates(Path caCertificate, Path certificate, Path privateKey) {

	private static final Duration KEYTOOL_TIMEOUT = Duration.ofSeconds(60);

	/**
	 * Generates a new authority and server certificate into {@code directory}.
	 *
	 * @param directory an existing directory; {@code ca.pem}, {@code server.pem} and
	 *     {@code server-key.pem} are written there, with key stores beside them
	 * @return the files
	 * @throws IllegalStateException if {@code keytool} fails
	 */
	public static TlsCertificates generate(Path directory) {
		char[] password = randomPassword();
		String storePass = new String(password);
		Path caStore = directory.resolve("ca.p12");
		Path serverStore = directory.resolve("server.p12");
		Path request = directory.resolve("server.csr");
		TlsCertificates files = new TlsCertificates(directory.resolve("ca.pem"), directory.resolve("server.pem"),
				directory.resolve("server-key.pem"));
		keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
				"-dname", "CN=Redlock Test CA", "-ext", "bc:c", "-ext", "ku:c=keyCertSign,cRLSign", "-validity", "2",
				"-keystore", caStore.toString(), "-storetype", "PKCS12", "-storepass", storePass);
		keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
				"-dname", "CN=127.0.0.1", "-validity", "2",
				"-keystore", serverStore.toString(), "-storetype", "PKCS12", "-storepass", storePass);
		keytool("-certreq", "-alias", "server", "-keystore", serverStore.toString(), "-storepass", storePass,
				"-file", request.toString());
		keytool("-gencert", "-alias", "ca", "-keystore", caStore.toString(), "-storepass", storePass,
				"-infile", request.toString(), "-outfile", files.certificate.toString(), "-rfc", "-validity", "2",
				"-ext", "san=ip:127.0.0.1,dns:localhost", "-ext", "ku:c=digitalSignature", "-ext", "eku=serverAuth");
		keytool("-exportcert", "-alias", "ca", "-keystore", caStore.toString(), "-storepass", storePass,
				"-rfc", "-file", files.caCertificate.toString());
		writePrivateKey(serverStore, password, files.privateKey);
		return files;
	}

	/**
	 * Builds a TLS context that trusts only {@link #caCertificate()}, for clients written with
	 * the JDK.
	 *
	 * @return a context for {@code TLS} client sockets
	 */
	public SSLContext clientContext() {
		try (InputStream in = Files.newInputStream(caCertificate)) {
			Certificate ca = CertificateFactory.getInstance("X.509").generateCertificate(in);
			KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
			trusted.load(null, null);
			trusted.setCertificateEntry("ca", ca);
			TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trust.init(trusted);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, trust.getTrustManagers(), new SecureRandom());
			return context;
		}
		catch (IOException e) {
			throw new UncheckedIOException("Could not read " + caCertificate, e);
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException("Could not trust " + caCertificate, e);
		}
	}

	/** The server's certificate, parsed. */
	X509Certificate serverCertificate() {
		try (InputStream in = Files.newInputStream(certificate)) {
			return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
		}
		catch (IOException e) {
			throw new UncheckedIOException("Could not read " + certificate, e);
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException("Could not parse " + certificate, e);
		}
	}

	private static void writePrivateKey(Path store, char[] password, Path target) {
		try (InputStream in = Files.newInputStream(store)) {
			KeyStore keyStore = KeyStore.getInstance("PKCS12");
			keyStore.load(in, password);
			Key key = keyStore.getKey("server", password);
			// getEncoded() of a private key is PKCS#8 DER: base64 lines between the PEM markers.
			String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
				.encodeToString(key.getEncoded());
			Files.writeString(target, "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n",
					StandardCharsets.US_ASCII);
		}
		catch (IOException e) {
			throw new UncheckedIOException("Could not write the private key to " + target, e);
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException("Could not read the private key from " + store, e);
		}
	}

	private static void keytool(String... args) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
		command.add("-noprompt");
		command.addAll(List.of(args));
		String what = "keytool " + args[0];
		try {
			Path output = Files.createTempFile("keytool-", ".log");
			try {
				Process process = new ProcessBuilder(command)
						.redirectErrorStream(true)
						.redirectOutput(Redirect.to(output.toFile()))
						.start();
				process.getOutputStream().close();
				if (!process.waitFor(KEYTOOL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
					process.destroyForcibly();
					throw new IllegalStateException(what + " did not finish within " + KEYTOOL_TIMEOUT.toSeconds() + " s");
				}
				if (process.exitValue() != 0) {
					// keytool's own output never contains the store password it was given.
					throw new IllegalStateException(what + " failed with exit code " + process.exitValue() + ": "
							+ Files.readString(output).trim());
				}
			}
			finally {
				Files.deleteIfExists(output);
			}
		}
		catch (IOException e) {
			throw new UncheckedIOException("Could not run " + what, e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running " + what, e);
		}
	}

	private static char[] randomPassword() {
		byte[] bytes = new byte[16];
		new SecureRandom().nextBytes(bytes);
		return HexFormat.of().formatHex(bytes).toCharArray();
	}
}
