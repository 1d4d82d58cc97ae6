package dev.redlock.sample.fenced;

import java.util.List;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * Records in the sample's Redis data store, as hashes {@code record:<id>} of {@code value} and
 * {@code fence}. The fenced write is a compare-the-token script, atomic on the server. Tokens
 * are compared as decimal text (longer is larger), so no precision is lost in Lua.
 */
@Component
class RedisRecords implements Records {

	private static final RedisScript<Long> FENCED_WRITE = RedisScript.of("""
			local fence = redis.call('hget', KEYS[1], 'fence')
			if fence and (#fence > #ARGV[2] or (#fence == #ARGV[2] and fence >= ARGV[2])) then
			  return 0
			end
			redis.call('hset', KEYS[1], 'value', ARGV[1], 'fence', ARGV[2])
			return 1
			""", Long.class);

	private final StringRedisTemplate redis;

	RedisRecords(StringRedisTemplate redis) {
		this.redis = redis;
	}

	@Override
	public boolean write(String id, String value, long token) {
		Long written = this.redis.execute(FENCED_WRITE, List.of(key(id)), value, Long.toString(token));
		return written != null && written == 1;
	}

	@Override
	public void writeUnfenced(String id, String value) {
		this.redis.opsForHash().put(key(id), "value", value);
	}

	@Override
	public Record read(String id) {
		Object value = this.redis.opsForHash().get(key(id), "value");
		Object fence = this.redis.opsForHash().get(key(id), "fence");
		return new Record(id, (String) value, (fence != null) ? Long.parseLong((String) fence) : 0);
	}

	private static String key(String id) {
		return "record:" + id;
	}

}
