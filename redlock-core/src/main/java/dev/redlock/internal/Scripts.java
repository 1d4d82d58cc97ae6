package dev.redlock.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts, each atomic on its node. Every script compares the token before it acts,
 * so only the holder can extend or release, and the multi-key acquire sets all keys or none.
 */
final class Scripts {

	/** KEYS: resources. ARGV: token, ttl ms. Returns 1 if every key was set, 0 if none was. */
	static final Script ACQUIRE_ALL = new Script("""
			for _, key in ipairs(KEYS) do
			  if redis.call('exists', key) == 1 then return 0 end
			end
			for _, key in ipairs(KEYS) do
			  redis.call('set', key, ARGV[1], 'px', ARGV[2])
			end
			return 1
			""");

	/** KEYS: resources. ARGV: token, ttl ms. Returns 1 if every key held the token and was extended. */
	static final Script EXTEND = new Script("""
			for _, key in ipairs(KEYS) do
			  if redis.call('get', key) ~= ARGV[1] then return 0 end
			end
			for _, key in ipairs(KEYS) do
			  redis.call('pexpire', key, ARGV[2])
			end
			return 1
			""");

	/**
	 * KEYS: resources. ARGV: token, notification channel ('' for none). Deletes the keys that
	 * hold the token and, for each, publishes "token key" so waiters wake. Returns the count.
	 */
	static final Script RELEASE = new Script("""
			local released = 0
			for _, key in ipairs(KEYS) do
			  if redis.call('get', key) == ARGV[1] then
			    redis.call('del', key)
			    released = released + 1
			    if ARGV[2] ~= '' then redis.call('publish', ARGV[2], ARGV[1] .. ' ' .. key) end
			  end
			end
			return released
			""");

	private Scripts() {
	}

	/** A script's text with its SHA-1, computed once so EVALSHA needs no SCRIPT LOAD. */
	record Script(String text, String sha) {

		Script(String text) {
			this(text, sha1(text));
		}

		private static String sha1(String text) {
			try {
				byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
				return HexFormat.of().formatHex(digest);
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException("SHA-1 is required of every Java platform", ex);
			}
		}

	}

}
