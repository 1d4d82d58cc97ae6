package dev.redlock.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.lettuce.core.cluster.SlotHash;

/**
 * The shard channel of a key's releases on a cluster with sharded Pub/Sub (Redis 7+):
 * {@code {tag}<channel>}, where {@code <channel>} is the classic channel ({@code prefix:key})
 * and {@code tag} hashes to the key's slot. A release script may SPUBLISH only to a channel of
 * its own slot, and a shard channel lives on the shard that owns its slot, so the channel must
 * share the key's slot. The tag comes first because Redis hashes what lies between a name's
 * first '{' and the next '}': a prefix or key with braces of its own cannot then change it.
 *
 * <p>
 * The tag is the key's own hash tag if it has one, else the key itself; a key without a tag
 * that contains a '}' (which would end the tag early) or is empty gets a short brace-free
 * stand-in with the same slot.
 */
final class ShardChannels {

	private static final ConcurrentMap<Integer, String> standIns = new ConcurrentHashMap<>();

	private ShardChannels() {
	}

	/** The shard channel for a key whose classic channel is {@code channel}. */
	static String of(String channel, String key) {
		return "{" + tag(key) + "}" + channel;
	}

	/** A brace-free text whose slot is the key's, as Redis computes it. */
	static String tag(String key) {
		int open = key.indexOf('{');
		if (open >= 0) {
			int close = key.indexOf('}', open + 1);
			if (close > open + 1) {
				return key.substring(open + 1, close);
			}
		}
		if (!key.isEmpty() && key.indexOf('}') < 0) {
			// Hashed whole; it may hold a '{', which inside our tag is just a character.
			return key;
		}
		return standIns.computeIfAbsent(SlotHash.getSlot(key), ShardChannels::standIn);
	}

	/** Searches short base-36 names until one hashes to the slot: some 16384 tries on average. */
	private static String standIn(int slot) {
		for (long i = 0;; i++) {
			String candidate = Long.toString(i, 36);
			if (SlotHash.getSlot(candidate) == slot) {
				return candidate;
			}
		}
	}

}
