package dev.redlock.spring.boot;

import dev.redlock.RedlockException;

/**
 * A {@code redlock.*} property holds a value Redlock cannot work with. Names the property and
 * shows its value without credentials, so the message is safe to log.
 */
public class RedlockConfigurationException extends RedlockException {

	private final String property;

	private final String value;

	private final String reason;

	/**
	 * @param property the full property name, for example {@code redlock.nodes[1]}
	 * @param value the value as shown to users, credentials already removed
	 * @param reason what is wrong and what is allowed
	 */
	public RedlockConfigurationException(String property, String value, String reason) {
		super("Invalid value '" + value + "' for property '" + property + "': " + reason);
		this.property = property;
		this.value = value;
		this.reason = reason;
	}

	/** The full name of the offending property. */
	public String getProperty() {
		return this.property;
	}

	/** The offending value, without credentials. */
	public String getValue() {
		return this.value;
	}

	/** What is wrong with the value and what is allowed. */
	public String getReason() {
		return this.reason;
	}

}
