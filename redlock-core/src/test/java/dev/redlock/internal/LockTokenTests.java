package dev.redlock.internal;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;

import dev.redlock.Lock;
import dev.redlock.Redlock;
import dev.redlock.testkit.RedisServersExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lock tokens are what makes release and extend safe: only the holder's token matches. They
 * must be unguessable and never repeat, so they are 128 bits from {@link SecureRandom}.
 */
class LockTokenTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(1);

	@Test
	void tokensComeFromASecureRandomSource() throws Exception {
		assertThat(Tokens.class.getDeclaredField("random").getType()).isEqualTo(SecureRandom.class);
	}

	@Test
	void tokensAre128RandomBitsThatNeverRepeat() {
		int samples = 20_000;
		int[] ones = new int[128];
		Set<String> seen = new HashSet<>();
		Tokens tokens = new Tokens();
		for (int i = 0; i < samples; i++) {
			String token = tokens.next();
			assertThat(token).matches("[0-9a-f]{32}");
			assertThat(seen.add(token)).as("token %s repeated", token).isTrue();
			byte[] bits = HexFormat.of().parseHex(token);
			for (int bit = 0; bit < 128; bit++) {
				ones[bit] += (bits[bit / 8] >> (bit % 8)) & 1;
			}
		}
		// Each bit is set about half the time: ±10% of the samples is over 28 standard
		// deviations, so only a broken (constant, counter-like or truncated) source fails.
		for (int bit = 0; bit < 128; bit++) {
			assertThat(ones[bit]).as("bit %d", bit).isBetween(samples * 4 / 10, samples * 6 / 10);
		}
	}

	@Test
	void everyLockCarriesAFreshToken() {
		try (Redlock redlock = Redlock.builder().nodes(redis.uris()).build()) {
			Set<String> tokens = new HashSet<>();
			for (int i = 0; i < 50; i++) {
				try (Lock lock = redlock.acquire("locks:token:" + (i % 3), Duration.ofSeconds(10))) {
					assertThat(lock.value()).matches("[0-9a-f]{32}");
					assertThat(tokens.add(lock.value())).isTrue();
				}
			}
		}
	}

}
