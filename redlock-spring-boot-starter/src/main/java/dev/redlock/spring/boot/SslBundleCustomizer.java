package dev.redlock.spring.boot;

import io.lettuce.core.RedisClient;
import io.lettuce.core.SslOptions;

import org.springframework.boot.ssl.SslBundle;

/**
 * Has the clients of {@code rediss://} nodes trust and present what an SSL bundle holds, as
 * Spring Boot does for Spring Data Redis; Lettuce uses these options only for TLS nodes.
 */
final class SslBundleCustomizer implements RedlockClientCustomizer {

	private final SslBundle bundle;

	SslBundleCustomizer(SslBundle bundle) {
		this.bundle = bundle;
	}

	@Override
	public void customize(RedisClient client) {
		SslOptions.Builder ssl = SslOptions.builder()
			.keyManager(this.bundle.getManagers().getKeyManagerFactory())
			.trustManager(this.bundle.getManagers().getTrustManagerFactory());
		org.springframework.boot.ssl.SslOptions options = this.bundle.getOptions();
		if (options.getCiphers() != null) {
			ssl.cipherSuites(options.getCiphers());
		}
		if (options.getEnabledProtocols() != null) {
			ssl.protocols(options.getEnabledProtocols());
		}
		client.setOptions(client.getOptions().mutate().sslOptions(ssl.build()).build());
	}

}
