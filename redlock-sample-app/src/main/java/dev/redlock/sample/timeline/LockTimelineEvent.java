package dev.redlock.sample.timeline;

/**
 * One step of one lock key's timeline.
 *
 * @param time when, in epoch milliseconds
 * @param instance the app instance (its port in the load demo)
 * @param key the Redis key
 * @param name the locked method, or {@code null} for the core's events
 * @param type {@code acquired}, {@code extended}, {@code released}, {@code lost}, or
 * {@code gave-up:<outcome>}
 * @param holder the locked call, {@code <instance>#<n>}
 * @param waitedMillis for {@code acquired} and {@code gave-up}, how long the call waited
 */
record LockTimelineEvent(long time, String instance, String key, String name, String type, String holder,
		long waitedMillis) {

	String toJson() {
		return "{\"t\":" + this.time + ",\"i\":" + quote(this.instance) + ",\"k\":" + quote(this.key) + ",\"n\":"
				+ quote(this.name) + ",\"e\":" + quote(this.type) + ",\"h\":" + quote(this.holder) + ",\"w\":"
				+ this.waitedMillis + "}";
	}

	private static String quote(String text) {
		if (text == null) {
			return "null";
		}
		StringBuilder quoted = new StringBuilder("\"");
		for (char c : text.toCharArray()) {
			switch (c) {
				case '"' -> quoted.append("\\\"");
				case '\\' -> quoted.append("\\\\");
				default -> {
					if (c < 0x20) {
						quoted.append(String.format("\\u%04x", (int) c));
					}
					else {
						quoted.append(c);
					}
				}
			}
		}
		return quoted.append('"').toString();
	}

}
