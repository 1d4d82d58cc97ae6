package dev.redlock.spring.boot;

import io.lettuce.core.RedisClient;
import io.lettuce.core.SslOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;

import org.springframework.boot.ssl.SslBundle;

/**
 * Has the clients of {@code rediss://} and {@code rediss-cluster://} nodes trust and present
 * what an SSL bundle holds, as Spring Boot does for Spring Data Redis; Lettuce uses these
 * options only for TLS nodes.
 */
final class SslBundleCustomizer implements RedlockClientCustomizer {

	private final SslBundle bundle;

	SslBundleCustomizer(SslBundle bundle) {
		this.bundle = bundle;
	}

	@Override
	public void customize(RedisClient client) {
		client.setOptions(client.getOptions().mutate().sslOptions(sslOptions()).build());
	}

	@Override
	public void customize(RedisClusterClient client) {
		// Redlock set cluster options on its cluster clients: kept, with the bundle's material added.
		ClusterClientOptions.Builder options = (client.getOptions() instanceof ClusterClientOptions cluster)
				? cluster.mutate() : ClusterClientOptions.builder(client.getOptions());
		client.setOptions(options.sslOptions(sslOptions()).build());
	}

	SslOptions sslOptions() {
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
		return ssl.build();
	}

}
