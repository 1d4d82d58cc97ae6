package dev.redlock.safety;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * The safety suite's fenced store, on the counter server: a record per resource that accepts a
 * write only if its fencing token is at least the highest it has accepted, the way a database
 * row with {@code UPDATE ... WHERE fence <= :token} would. Beside it, the ground truth the
 * tokens are judged by, kept by the holders themselves:
 * <ul>
 * <li>on entering its critical section a holder takes the next entry number, and its token is
 * checked against the previous holder's: tokens in acquisition order must strictly increase;</li>
 * <li>a write is <em>stale</em> when a holder that entered later has already written: the
 * writer was paused past its ttl and someone else took over. A fenced store must refuse every
 * stale write, and no other.</li>
 * </ul>
 * With {@code checkTokens} false the store accepts every write, as an unfenced one does: the
 * detector of stale writes accepted must then fire.
 */
final class FencedStore {

	static final String PREFIX = "safety:fenced:";

	/** KEYS: entries, last entry token. ARGV: token. Returns {entry number, 1 if the token is above the last}. */
	private static final String ENTER = """
			local entry = redis.call('incr', KEYS[1])
			local last = tonumber(redis.call('get', KEYS[2]) or '0')
			local token = tonumber(ARGV[1])
			if token > last then
			  redis.call('set', KEYS[2], ARGV[1])
			  return {entry, 1}
			end
			return {entry, 0}
			""";

	/**
	 * KEYS: highest accepted token, entry of the last accepted writer, value. ARGV: token, the
	 * writer's entry, value, '1' to check tokens. Returns {accepted, stale}.
	 */
	private static final String WRITE = """
			local fence = tonumber(redis.call('get', KEYS[1]) or '0')
			local lastWriter = tonumber(redis.call('get', KEYS[2]) or '0')
			local token = tonumber(ARGV[1])
			local entry = tonumber(ARGV[2])
			local stale = 0
			if lastWriter > entry then stale = 1 end
			if ARGV[4] == '1' and token < fence then return {0, stale} end
			if token > fence then redis.call('set', KEYS[1], ARGV[1]) end
			if entry > lastWriter then redis.call('set', KEYS[2], ARGV[2]) end
			redis.call('set', KEYS[3], ARGV[3])
			return {1, stale}
			""";

	private final boolean checkTokens;

	private final AtomicLong accepted = new AtomicLong();

	private final AtomicLong staleRefused = new AtomicLong();

	private final AtomicLong staleAccepted = new AtomicLong();

	private final AtomicLong freshRefused = new AtomicLong();

	private final AtomicLong entries = new AtomicLong();

	private final AtomicLong outOfOrder = new AtomicLong();

	private final AtomicLong noToken = new AtomicLong();

	FencedStore(boolean checkTokens) {
		this.checkTokens = checkTokens;
	}

	/** Records a holder's entry; returns its entry number. */
	long enter(RedisCommands<String, String> redis, int resource, long token) {
		List<Long> reply = redis.eval(ENTER, ScriptOutputType.MULTI,
				new String[] { PREFIX + "entries:" + resource, PREFIX + "entry-token:" + resource }, Long.toString(token));
		this.entries.incrementAndGet();
		if (reply.get(1) == 0) {
			this.outOfOrder.incrementAndGet();
		}
		return reply.get(0);
	}

	/** Writes through the fence; returns whether the store accepted. */
	boolean write(RedisCommands<String, String> redis, int resource, long token, long entry, String value) {
		List<Long> reply = redis.eval(WRITE, ScriptOutputType.MULTI,
				new String[] { PREFIX + "fence:" + resource, PREFIX + "writer:" + resource, PREFIX + "value:" + resource },
				Long.toString(token), Long.toString(entry), value, this.checkTokens ? "1" : "0");
		boolean ok = reply.get(0) == 1;
		boolean stale = reply.get(1) == 1;
		if (ok) {
			(stale ? this.staleAccepted : this.accepted).incrementAndGet();
		}
		else {
			(stale ? this.staleRefused : this.freshRefused).incrementAndGet();
		}
		return ok;
	}

	/** A token the nodes could not confirm: the holder skips its section. */
	void noToken() {
		this.noToken.incrementAndGet();
	}

	Figures figures() {
		return new Figures(this.accepted.get(), this.staleRefused.get(), this.staleAccepted.get(), this.freshRefused.get(),
				this.entries.get(), this.outOfOrder.get(), this.noToken.get());
	}

	/**
	 * What the fenced store saw.
	 *
	 * @param accepted fresh writes accepted
	 * @param staleRefused stale writes refused: the fence at work
	 * @param staleAccepted stale writes accepted: must be zero
	 * @param freshRefused writes refused though no later holder had written: must be zero
	 * @param entries tokens checked in acquisition order
	 * @param outOfOrder tokens not above the previous holder's: must be zero
	 * @param noToken sections skipped because no token could be confirmed
	 */
	record Figures(long accepted, long staleRefused, long staleAccepted, long freshRefused, long entries, long outOfOrder,
			long noToken) {

		static final Figures NONE = new Figures(0, 0, 0, 0, 0, 0, 0);

		Figures plus(Figures other) {
			return new Figures(this.accepted + other.accepted, this.staleRefused + other.staleRefused,
					this.staleAccepted + other.staleAccepted, this.freshRefused + other.freshRefused,
					this.entries + other.entries, this.outOfOrder + other.outOfOrder, this.noToken + other.noToken);
		}

		String toFields() {
			return this.accepted + "," + this.staleRefused + "," + this.staleAccepted + "," + this.freshRefused + ","
					+ this.entries + "," + this.outOfOrder + "," + this.noToken;
		}

		static Figures fromFields(String fields) {
			long[] f = java.util.Arrays.stream(fields.split(",")).mapToLong(Long::parseLong).toArray();
			return new Figures(f[0], f[1], f[2], f[3], f[4], f[5], f[6]);
		}

		@Override
		public String toString() {
			return "fenced writes accepted " + this.accepted + ", stale writes refused " + this.staleRefused
					+ ", stale writes accepted " + this.staleAccepted + ", fresh writes refused " + this.freshRefused
					+ ", tokens checked in acquisition order " + this.entries + " (out of order " + this.outOfOrder
					+ "), sections without a token " + this.noToken;
		}

	}

}
