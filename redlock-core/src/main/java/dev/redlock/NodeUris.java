package dev.redlock;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

import io.lettuce.core.RedisURI;

/**
 * How node URIs are read and compared, shared by {@link RedlockBuilder} and by anything that
 * validates configuration before building one (the Spring Boot starter names the offending
 * property with them), so both accept and refuse exactly the same nodes.
 */
public final class NodeUris {

	private NodeUris() {
	}

	/**
	 * Parses a node URI strictly: every form Lettuce's {@link RedisURI} takes, but not what it
	 * would silently misread (it takes {@code host:notaport} for a host name).
	 * @throws IllegalArgumentException saying what is wrong and what is expected, never
	 * showing credentials
	 */
	public static RedisURI parse(String uri) {
		Objects.requireNonNull(uri, "a node URI must not be null");
		try {
			if ((uri.startsWith("redis://") || uri.startsWith("rediss://")) && new URI(uri).getHost() == null) {
				throw new IllegalArgumentException("the host or port is malformed");
			}
			return RedisURI.create(uri);
		}
		catch (URISyntaxException | IllegalArgumentException ex) {
			String why = (ex instanceof URISyntaxException syntax) ? syntax.getReason() : ex.getMessage();
			throw new IllegalArgumentException("is not a valid Redis URI (" + mask(why)
					+ "); use redis://[user:password@]host:port[/database], rediss:// for TLS or "
					+ "redis-sentinel://[password@]host:port[,host:port]/[database]#master-id", ex);
		}
	}

	/**
	 * The server a URI points at, whatever database, credentials or scheme it carries: two
	 * URIs of one server must never both vote, or two holders could each count a majority.
	 */
	public static String server(RedisURI uri) {
		if (!uri.getSentinels().isEmpty()) {
			return uri.getSentinels().stream()
				.map((s) -> s.getHost().toLowerCase(Locale.ROOT) + ":" + s.getPort())
				.sorted()
				.collect(Collectors.joining(",", "sentinels:", "/" + uri.getSentinelMasterId()));
		}
		if (uri.getSocket() != null) {
			return "socket:" + uri.getSocket();
		}
		return uri.getHost().toLowerCase(Locale.ROOT) + ":" + uri.getPort();
	}

	/**
	 * Hides everything between {@code //} and the last {@code @} of a URI as configured:
	 * a password may itself contain characters that a stricter pattern would stop at.
	 */
	public static String mask(String uri) {
		if (uri == null) {
			return null;
		}
		int at = uri.lastIndexOf('@');
		if (at < 0) {
			return uri;
		}
		int scheme = uri.indexOf("//");
		int start = (scheme >= 0 && scheme < at) ? scheme + 2 : 0;
		return uri.substring(0, start) + "****" + uri.substring(at);
	}

}
