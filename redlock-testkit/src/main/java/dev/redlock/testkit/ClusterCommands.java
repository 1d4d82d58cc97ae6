package dev.redlock.testkit;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Commands the testkit sends to cluster members and sentinels, failing loudly on an error reply. */
final class ClusterCommands {

	private static final Pattern CLUSTER_STATE = Pattern.compile("(?m)^cluster_state:(\\w+)");

	private ClusterCommands() {
	}

	/**
	 * Sends {@code command} and returns its reply.
	 *
	 * @throws IllegalStateException on an error reply, quoting it and the command
	 */
	static RespClient.Reply ok(RedisServer server, String... command) {
		RespClient.Reply reply = server.call(command);
		if (reply.isError()) {
			throw new IllegalStateException(String.join(" ", Arrays.asList(command).subList(0, Math.min(3,
					command.length))) + " on " + server + " failed: " + reply.text());
		}
		return reply;
	}

	/** {@return the text of the reply to {@code command}} */
	static String text(RedisServer server, String... command) {
		return ok(server, command).text();
	}

	/** {@return the {@code cluster_state} a member reports: {@code ok} or {@code fail}} */
	static String clusterState(RedisServer member) {
		Matcher matcher = CLUSTER_STATE.matcher(text(member, "CLUSTER", "INFO"));
		return matcher.find() ? matcher.group(1) : "unknown";
	}

	/** {@return the first element of {@code ROLE}: {@code master}, {@code slave} or {@code sentinel}} */
	static String role(RedisServer server) {
		return ok(server, "ROLE").element(0);
	}

	/** {@return whether the server runs and can answer, that is, is not paused} */
	static boolean isAnswering(RedisServer server) {
		return server.isRunning() && !server.isPaused();
	}
}
