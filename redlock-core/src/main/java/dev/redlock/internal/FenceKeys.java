package dev.redlock.internal;

import java.nio.charset.StandardCharsets;

import io.lettuce.core.cluster.SlotHash;

/**
 * Where a resource's fencing counter lives on each node: a key of its own, in the same Redis
 * Cluster hash slot as the lock key, so one script can touch both even on a cluster node.
 *
 * <p>
 * Redis Cluster hashes only a key's hash tag, the text between its first {@code {} and the
 * first {@code }} after it, when that text is not empty; otherwise the whole key. The counter
 * key is {@code redlock:fence:} followed by a hash tag {@code {T}} with the slot of the
 * resource, then the resource:
 * <ul>
 * <li>a resource with a hash tag {@code t}: {@code T = t}, and the key is
 * {@code redlock:fence:{t}<resource>};</li>
 * <li>a resource without one, and without a {@code }}: {@code T} is the whole resource, which
 * then need not be repeated: {@code redlock:fence:{<resource>}};</li>
 * <li>a resource without a hash tag but with a {@code }} (such as {@code a}b} or
 * {@code {}x}): no tag can hold it, so {@code T} is the smallest decimal number whose slot is
 * the resource's slot: {@code redlock:fence:{<n>}<resource>}.</li>
 * </ul>
 * {@code T} never holds a {@code }}, so the key's tag is {@code T}, and the resource can be read
 * back from the key (what follows the first {@code }}, or the tag itself when nothing
 * follows): two resources never share a counter. No lock key may start with
 * {@code redlock:fence:}, so no counter is ever a lock key.
 */
public final class FenceKeys {

	/** The prefix of every counter key, reserved: resources may not start with it. */
	public static final String PREFIX = "redlock:fence:";

	private FenceKeys() {
	}

	/** The counter key of {@code resource}. */
	public static String of(String resource) {
		return inSlotOf(PREFIX, resource);
	}

	/**
	 * {@code prefix}, a hash tag with the slot of {@code resource}, then the resource unless
	 * the tag is the whole of it: a key of its own for each resource, in the resource's slot.
	 * The prefix must hold no brace.
	 */
	static String inSlotOf(String prefix, String resource) {
		String tag = hashTag(resource);
		if (tag != null) {
			return prefix + "{" + tag + "}" + resource;
		}
		if (resource.indexOf('}') < 0) {
			return prefix + "{" + resource + "}";
		}
		return prefix + "{" + SlotTags.TAGS[slot(resource)] + "}" + resource;
	}

	static String[] of(String[] resources) {
		String[] keys = new String[resources.length];
		for (int i = 0; i < resources.length; i++) {
			keys[i] = of(resources[i]);
		}
		return keys;
	}

	/**
	 * The hash tag of {@code key} by Redis Cluster's rule, or {@code null} if it has none.
	 * Braces are ASCII, and no byte of a multi-byte UTF-8 sequence is ASCII, so counting in
	 * chars finds the same braces as Redis does in bytes.
	 */
	static String hashTag(String key) {
		int open = key.indexOf('{');
		if (open < 0) {
			return null;
		}
		int close = key.indexOf('}', open + 1);
		return (close < 0 || close == open + 1) ? null : key.substring(open + 1, close);
	}

	/** The Redis Cluster slot of {@code key}, 0 to 16383. */
	static int slot(String key) {
		return SlotHash.getSlot(key.getBytes(StandardCharsets.UTF_8));
	}

	/** For each slot, the smallest decimal number whose slot it is; computed on first need only. */
	private static final class SlotTags {

		static final String[] TAGS = build();

		private static String[] build() {
			String[] tags = new String[SlotHash.SLOT_COUNT];
			int missing = tags.length;
			for (long n = 0; missing > 0; n++) {
				String text = Long.toString(n);
				int slot = slot(text);
				if (tags[slot] == null) {
					tags[slot] = text;
					missing--;
				}
			}
			return tags;
		}

	}

}
