package dev.redlock.spring.boot;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link RedlockConfigurationException} into a start-up report that names the
 * property, its value and what to change.
 */
class RedlockConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<RedlockConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, RedlockConfigurationException cause) {
		String description = String.format("Invalid Redlock configuration:%n%n    Property: %s%n    Value: \"%s\"%n    Reason: %s",
				cause.getProperty(), cause.getValue(), cause.getReason());
		String action = "Review the value of the property '" + cause.getProperty() + "': " + cause.getReason();
		return new FailureAnalysis(description, action, cause);
	}

}
