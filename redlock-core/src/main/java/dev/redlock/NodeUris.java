package dev.redlock;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
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

	private static final String CLUSTER = "redis-cluster://";

	private static final String TLS_CLUSTER = "rediss-cluster://";

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
		if (isCluster(uri)) {
			throw new IllegalArgumentException("is a whole Redis Cluster: read it with NodeUris.parseCluster");
		}
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
					+ "redis-sentinel://[password@]host:port[,host:port]/[database]#master-id, or "
					+ "redis-cluster://[user:password@]host:port[,host:port...] for a whole Redis Cluster", ex);
		}
	}

	/**
	 * Whether {@code uri} names a whole Redis Cluster: {@code redis-cluster://} or, with TLS,
	 * {@code rediss-cluster://}.
	 */
	public static boolean isCluster(String uri) {
		return uri != null && (uri.startsWith(CLUSTER) || uri.startsWith(TLS_CLUSTER));
	}

	/**
	 * Parses a cluster node, {@code redis-cluster://[user:password@]host:port[,host:port...]}
	 * ({@code rediss-cluster://} with TLS), into its seeds: one URI per host, each with the
	 * credentials. The topology is discovered from them.
	 * @throws IllegalArgumentException saying what is wrong, never showing credentials
	 */
	public static List<RedisURI> parseCluster(String uri) {
		Objects.requireNonNull(uri, "a node URI must not be null");
		boolean tls = uri.startsWith(TLS_CLUSTER);
		if (!tls && !uri.startsWith(CLUSTER)) {
			throw new IllegalArgumentException("is not a cluster URI; use " + CLUSTER + "[user:password@]host:port[,host:port...]");
		}
		String rest = uri.substring((tls ? TLS_CLUSTER : CLUSTER).length());
		int at = rest.lastIndexOf('@');
		String userInfo = (at >= 0) ? rest.substring(0, at + 1) : "";
		String hosts = (at >= 0) ? rest.substring(at + 1) : rest;
		int end = indexOfAny(hosts, "/?#");
		if (end >= 0) {
			hosts = hosts.substring(0, end);
		}
		List<RedisURI> seeds = new ArrayList<>();
		for (String host : hosts.split(",")) {
			if (host.isBlank()) {
				throw new IllegalArgumentException("is not a valid cluster URI (an empty seed); use " + CLUSTER
						+ "[user:password@]host:port[,host:port...]");
			}
			seeds.add(parse((tls ? "rediss://" : "redis://") + userInfo + host.strip()));
		}
		return seeds;
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
	 * The servers a node string points at, for comparing entries before connecting: one for a
	 * master or a Sentinel group, every seed for a cluster.
	 * @throws IllegalArgumentException if the node is not valid
	 */
	public static List<String> servers(String uri) {
		return isCluster(uri) ? parseCluster(uri).stream().map(NodeUris::server).toList() : List.of(server(parse(uri)));
	}

	private static int indexOfAny(String text, String characters) {
		for (int i = 0; i < text.length(); i++) {
			if (characters.indexOf(text.charAt(i)) >= 0) {
				return i;
			}
		}
		return -1;
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
