package dev.redlock.spring.boot;

/**
 * TLS of rediss:// nodes, bound to {@code redlock.ssl.*}: a group of
 * {@link RedlockProperties}.
 */
public class RedlockSslProperties {

	/**
	 * Name of the SSL bundle (spring.ssl.bundle.*) whose trust and key material the
	 * clients of rediss:// nodes use.
	 */
	private String bundle;

	public String getBundle() {
		return this.bundle;
	}

	public void setBundle(String bundle) {
		this.bundle = bundle;
	}

}
