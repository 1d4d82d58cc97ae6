package dev.redlock.spring.boot;

import dev.redlock.spring.DistributedLockDeclarationException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link DistributedLockDeclarationException} into a start-up report that names the
 * method, what is wrong with its {@code @DistributedLock} and what to change.
 */
class DistributedLockDeclarationFailureAnalyzer extends AbstractFailureAnalyzer<DistributedLockDeclarationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, DistributedLockDeclarationException cause) {
		String description = String.format("A @DistributedLock cannot be applied:%n%n    Method: %s%n    Reason: %s",
				cause.getMethod(), cause.getProblem());
		String action = "Change the @DistributedLock method " + cause.getMethod() + ": "
				+ ((cause.getAction() != null) ? cause.getAction() : cause.getProblem());
		return new FailureAnalysis(description, action, cause);
	}

}
