package dev.redlock.spring.observation;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * Observations named {@code redlock.lock}, shown in traces as {@code redlock acquire} and
 * {@code redlock hold}. Low-cardinality keys, which also tag the timer a meter handler makes:
 * {@code name}, {@code phase}, {@code outcome} and {@code nodes} (how many nodes vote).
 * High-cardinality: {@code keys}, never a tag of a meter.
 */
public class DefaultRedlockObservationConvention implements RedlockObservationConvention {

	/** The observation's name. */
	public static final String NAME = "redlock.lock";

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(RedlockObservationContext context) {
		return "redlock " + context.getPhase().value();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(RedlockObservationContext context) {
		String outcome = (context.getOutcome() != null) ? context.getOutcome().tag() : "unknown";
		return KeyValues.of(KeyValue.of("name", context.getLockName()), KeyValue.of("phase", context.getPhase().value()),
				KeyValue.of("outcome", outcome), KeyValue.of("nodes", String.valueOf(context.getNodeCount())));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(RedlockObservationContext context) {
		return KeyValues.of(KeyValue.of("keys", String.join(",", context.getKeys())));
	}

}
