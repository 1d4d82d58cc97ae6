package dev.redlock.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

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
	 * KEYS: resources. ARGV: token, notification channel prefix ('' for none). Deletes the keys
	 * that hold the token, then publishes "token key" on each key's channel (prefix:key), so
	 * the waiters of that key, and only they, wake. Every key is
	 * deleted before the first publish, and a publish the user may not make (an ACL without
	 * the channel) is caught: a release never leaves a key behind for want of a notification.
	 * Returns {released, published}: the count, and 0 if a publish was refused.
	 */
	static final Script RELEASE = new Script("""
			local released = {}
			for _, key in ipairs(KEYS) do
			  if redis.call('get', key) == ARGV[1] then
			    redis.call('del', key)
			    released[#released + 1] = key
			  end
			end
			local published = 1
			if ARGV[2] ~= '' then
			  for _, key in ipairs(released) do
			    local reply = redis.pcall('publish', ARGV[2] .. ':' .. key, ARGV[1] .. ' ' .. key)
			    if type(reply) == 'table' and reply.err then published = 0 end
			  end
			end
			return {#released, published}
			""");

	/**
	 * The release for a cluster with sharded Pub/Sub. KEYS: resources, all in one slot. ARGV:
	 * token, then each key's shard channel (in the keys' slot, so the script may SPUBLISH to
	 * it). Otherwise as {@link #RELEASE}.
	 */
	static final Script RELEASE_SHARDED = new Script("""
			local released = {}
			for i, key in ipairs(KEYS) do
			  if redis.call('get', key) == ARGV[1] then
			    redis.call('del', key)
			    released[#released + 1] = i
			  end
			end
			local published = 1
			for _, i in ipairs(released) do
			  local reply = redis.pcall('spublish', ARGV[i + 1], ARGV[1] .. ' ' .. KEYS[i])
			  if type(reply) == 'table' and reply.err then published = 0 end
			end
			return {#released, published}
			""");

	/** KEYS: resources. ARGV: token. Returns 1 if every key holds the token. */
	static final Script CHECK = new Script("""
			for _, key in ipairs(KEYS) do
			  if redis.call('get', key) ~= ARGV[1] then return 0 end
			end
			return 1
			""");

	/**
	 * KEYS: n resources, then their n fencing counters. ARGV: token, counter expiry ms. If every
	 * resource holds the token, raises each counter to max(counter + 1, the node's TIME in
	 * microseconds), refreshes its expiry and returns the counters; otherwise returns an empty
	 * list and changes nothing. Counters are compared as decimal text (a longer one is larger),
	 * never as Lua numbers, which are exact only up to 2^53.
	 */
	static final Script FENCE_READ = new Script("""
			local n = #KEYS / 2
			for i = 1, n do
			  if redis.call('get', KEYS[i]) ~= ARGV[1] then return {} end
			end
			local time = redis.call('time')
			local floor = time[1] .. string.format('%06d', tonumber(time[2]))
			local counters = {}
			for i = n + 1, 2 * n do
			  redis.call('incr', KEYS[i])
			  local value = redis.call('get', KEYS[i])
			  if #value < #floor or (#value == #floor and value < floor) then
			    redis.call('set', KEYS[i], floor)
			    value = floor
			  end
			  redis.call('pexpire', KEYS[i], ARGV[2])
			  counters[#counters + 1] = value
			end
			return counters
			""");

	/**
	 * KEYS: n resources, then their n fencing counters. ARGV: token, counter expiry ms, then n
	 * tokens. If every resource holds the token, raises each counter to at least its token
	 * (never lowers one) and returns 1; otherwise returns 0 and changes nothing.
	 */
	static final Script FENCE_WRITE = new Script("""
			local n = #KEYS / 2
			for i = 1, n do
			  if redis.call('get', KEYS[i]) ~= ARGV[1] then return 0 end
			end
			for i = 1, n do
			  local key = KEYS[n + i]
			  local token = ARGV[2 + i]
			  local value = redis.call('get', key)
			  if not value or #value < #token or (#value == #token and value < token) then
			    redis.call('set', key, token)
			  end
			  redis.call('pexpire', key, ARGV[2])
			end
			return 1
			""");

	/** Every script, to load on each connection so EVALSHA finds them after a restart. */
	static final List<Script> ALL = List.of(ACQUIRE_ALL, EXTEND, RELEASE, RELEASE_SHARDED, CHECK, FENCE_READ, FENCE_WRITE);

	private Scripts() {
	}

	/**
	 * Runs a script by EVALSHA, falling back to EVAL when the node lost it (a SCRIPT FLUSH
	 * while connected). The fallback is sent after the refusal came back, so a command issued
	 * in between could overtake it: the rounds chain every later command for the same keys
	 * after this one completes, fallback included.
	 */
	static <T> CompletableFuture<T> run(RedisClusterAsyncCommands<String, String> redis, Script script, ScriptOutputType type,
			String[] keys, String... args) {
		return redis.<T>evalsha(script.sha(), type, keys, args)
			.toCompletableFuture()
			.exceptionallyCompose((ex) -> (Futures.unwrap(ex) instanceof RedisNoScriptException)
					? redis.<T>eval(script.text(), type, keys, args).toCompletableFuture()
					: CompletableFuture.failedFuture(Futures.unwrap(ex)));
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
