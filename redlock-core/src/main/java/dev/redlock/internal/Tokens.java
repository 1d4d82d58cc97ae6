package dev.redlock.internal;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Lock tokens: what makes release and extend safe, since only the holder's token matches.
 * 128 bits from a cryptographically strong source, so they are unguessable and never repeat.
 */
final class Tokens {

	private final SecureRandom random = new SecureRandom();

	String next() {
		byte[] bytes = new byte[16];
		this.random.nextBytes(bytes);
		return HexFormat.of().formatHex(bytes);
	}

}
