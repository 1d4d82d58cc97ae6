package dev.redlock.spring.boot;

import java.util.List;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

/**
 * {@link RedlockConnectionDetails} from {@code redlock.nodes} and {@code redlock.ssl.bundle}.
 */
final class PropertiesRedlockConnectionDetails implements RedlockConnectionDetails {

	private final RedlockProperties properties;

	private final SslBundles sslBundles;

	PropertiesRedlockConnectionDetails(RedlockProperties properties, SslBundles sslBundles) {
		this.properties = properties;
		this.sslBundles = sslBundles;
	}

	@Override
	public List<String> getNodes() {
		return this.properties.getNodes();
	}

	@Override
	public SslBundle getSslBundle() {
		String bundle = this.properties.getSsl().getBundle();
		if (bundle == null || bundle.isBlank()) {
			return null;
		}
		if (this.sslBundles == null) {
			throw new RedlockConfigurationException("redlock.ssl.bundle", bundle,
					"no SSL bundles are configured (spring.ssl.bundle.*)");
		}
		return this.sslBundles.getBundle(bundle.strip());
	}

}
