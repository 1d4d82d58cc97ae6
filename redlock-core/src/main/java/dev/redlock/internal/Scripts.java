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
	 * Hands a key on from its holder or a leaving waiter: to the head of the key's waiting line
	 * (see {@link WaitingLines}), whom it reserves the key for ({@code '~' .. id}) for ARGV[3]
	 * ms, or to nobody, deleting it. {@code i} is the key's index, {@code n} the number of
	 * resources; the key's line is KEYS[n + i] when lines are on.
	 */
	private static final String HAND_ON = """
			local function hand_on(i, n, lines, reservation_ms)
			  local head = lines and redis.call('lpop', KEYS[n + i])
			  if head then
			    redis.call('set', KEYS[i], '~' .. head, 'px', reservation_ms)
			  else
			    redis.call('del', KEYS[i])
			  end
			  return head
			end
			""";

	/**
	 * KEYS: n resources, then their n waiting lines when ARGV[3] is not ''. ARGV: token, the
	 * publish command ('publish', 'spublish', or '' for no notification), the reservation for
	 * a line's head in ms ('' for no lines), then each resource's channel. Hands every key
	 * that holds the token on (deleted, or reserved for its line's head), then publishes
	 * "token key" on each of those keys' channels, or "token/head key" on the channel's "@" and
	 * the head's Redlock (what precedes the dot in a line id) when reserved, so the waiters of
	 * that key, and only they, or the head's Redlock alone, hear of it. Every key is handed on before the first
	 * publish, and a publish the user may not make (an ACL without the channel) is caught: a
	 * release never leaves a key behind for want of a notification. Returns {released,
	 * published}: the count, and 0 if a publish was refused.
	 */
	static final Script RELEASE = new Script(HAND_ON + """
			local lines = ARGV[3] ~= ''
			local n = lines and #KEYS / 2 or #KEYS
			local handed = {}
			for i = 1, n do
			  if redis.call('get', KEYS[i]) == ARGV[1] then
			    handed[#handed + 1] = {i, hand_on(i, n, lines, ARGV[3])}
			  end
			end
			local published = 1
			if ARGV[2] ~= '' then
			  for _, h in ipairs(handed) do
			    local channel = h[2] and (ARGV[3 + h[1]] .. '@' .. string.match(h[2], '^[^.]*')) or ARGV[3 + h[1]]
			    local release = h[2] and (ARGV[1] .. '/' .. h[2]) or ARGV[1]
			    local reply = redis.pcall(ARGV[2], channel, release .. ' ' .. KEYS[h[1]])
			    if type(reply) == 'table' and reply.err then published = 0 end
			  end
			end
			return {#handed, published}
			""");

	/**
	 * A waiter's attempt. KEYS: resource, its waiting line. ARGV: token, ttl ms, line id, '1'
	 * if the key's designated node or a quorum named this waiter its line's head, and the least
	 * time in ms to keep the line. Sets the resource if it is free or reserved for this waiter,
	 * or, for a named head, reserved for anyone (the nodes' lines may disagree); takes the
	 * waiter out of the line. A key held by a lock is never set, and the waiter keeps its place:
	 * the lock's release may be on its way. The head whose reservation it takes goes back to
	 * the front of this node's line: it is still next in the other nodes' lines, and without
	 * its place here the lines would disagree again at the next release, and at every one
	 * after it. Returns {1} if set, {0} if the key is reserved for another waiter, and {2,
	 * token} if the lock {@code token} holds it.
	 */
	static final Script CLAIM = new Script("""
			local value = redis.call('get', KEYS[1])
			if value and string.sub(value, 1, 1) ~= '~' then return {2, value} end
			if value and value ~= '~' .. ARGV[3] and ARGV[4] ~= '1' then return {0} end
			if value and value ~= '~' .. ARGV[3] then
			  local other = string.sub(value, 2)
			  if not redis.call('lpos', KEYS[2], other) then redis.call('lpush', KEYS[2], other) end
			  if redis.call('pttl', KEYS[2]) < tonumber(ARGV[5]) then redis.call('pexpire', KEYS[2], ARGV[5]) end
			end
			redis.call('set', KEYS[1], ARGV[1], 'px', ARGV[2])
			redis.call('lrem', KEYS[2], 0, ARGV[3])
			return {1}
			""");

	/**
	 * KEYS: resource, its waiting line. ARGV: line id, line expiry ms, and for a first attempt
	 * a token and a ttl ms. Returns 2 if the resource is reserved for this waiter, 1 if it is
	 * free (set to the token for the ttl, if given, as a first attempt's SET would); otherwise
	 * puts the waiter at the end of the line unless it is in it already, keeps the line at
	 * least until its expiry (a waiter that polls less often keeps it longer), and returns 0.
	 */
	static final Script ENTER_LINE = new Script("""
			local value = redis.call('get', KEYS[1])
			if value == '~' .. ARGV[1] then return 2 end
			if not value then
			  if ARGV[3] then redis.call('set', KEYS[1], ARGV[3], 'px', ARGV[4]) end
			  return 1
			end
			if not redis.call('lpos', KEYS[2], ARGV[1]) then redis.call('rpush', KEYS[2], ARGV[1]) end
			if redis.call('pttl', KEYS[2]) < tonumber(ARGV[2]) then redis.call('pexpire', KEYS[2], ARGV[2]) end
			return 0
			""");

	/**
	 * KEYS: resource, its waiting line. ARGV: line id, publish command, channel, reservation
	 * ms. Takes the waiter out of the line; a key reserved for it is handed on as a release
	 * would, and told of as "~id key" or "~id/head key". Returns 1 if a reservation was handed on.
	 */
	static final Script LEAVE_LINE = new Script(HAND_ON + """
			redis.call('lrem', KEYS[2], 0, ARGV[1])
			if redis.call('get', KEYS[1]) ~= '~' .. ARGV[1] then return 0 end
			local head = hand_on(1, 1, true, ARGV[4])
			if ARGV[2] ~= '' then
			  local channel = head and (ARGV[3] .. '@' .. string.match(head, '^[^.]*')) or ARGV[3]
			  local release = head and ('~' .. ARGV[1] .. '/' .. head) or ('~' .. ARGV[1])
			  redis.pcall(ARGV[2], channel, release .. ' ' .. KEYS[1])
			end
			return 1
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
	static final List<Script> ALL = List.of(ACQUIRE_ALL, EXTEND, RELEASE, CLAIM, ENTER_LINE, LEAVE_LINE, CHECK, FENCE_READ,
			FENCE_WRITE);

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
