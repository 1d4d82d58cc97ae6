package dev.redlock.spring.boot;

import java.util.Map;

/**
 * What a health indicator reported, in terms both Spring Boot lines share, so that the tests of
 * the health check run unchanged on Spring Boot 3.5 and 4 ({@link BootLine} makes one).
 * @param status the status code, {@code "UP"} or {@code "DOWN"}
 * @param details the details
 * @param text the {@code toString()} of the line's {@code Health}, as a log would show it
 */
record HealthView(String status, Map<String, Object> details, String text) {

	boolean isUp() {
		return "UP".equals(this.status);
	}

	boolean isDown() {
		return "DOWN".equals(this.status);
	}

	@SuppressWarnings("unchecked")
	Map<String, Object> nodes() {
		return (Map<String, Object>) this.details.get("nodes");
	}

}
