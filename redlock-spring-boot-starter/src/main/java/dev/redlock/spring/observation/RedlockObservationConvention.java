package dev.redlock.spring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the {@code redlock.lock} observations; declare a bean to replace
 * {@link DefaultRedlockObservationConvention}, or to extend it.
 */
public interface RedlockObservationConvention extends ObservationConvention<RedlockObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof RedlockObservationContext;
	}

}
