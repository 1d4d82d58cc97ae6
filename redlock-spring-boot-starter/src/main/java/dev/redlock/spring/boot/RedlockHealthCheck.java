package dev.redlock.spring.boot;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import dev.redlock.NodeVote;
import dev.redlock.Redlock;

/**
 * What the {@code redlock} health indicator reports, free of Spring Boot's health types, which
 * moved between Spring Boot 3 and 4: each line's indicator only turns this into its own
 * {@code Health}.
 *
 * <p>
 * {@code up} while a quorum of the nodes answers {@code PING}. Details: {@code quorum},
 * {@code nodesUp}, {@code nodesTotal}, a {@code warning} while a minority is down or an
 * {@code error} once the quorum is lost, and {@code nodes}, which maps every node, as
 * {@link Redlock#nodes()} names it (without credentials), to {@code "up"} or
 * {@code "down: <error>"}. Error texts have any {@code //user:password@} part masked, since
 * health details may be shown to anyone who can reach the endpoint.
 */
final class RedlockHealthCheck {

	/** The user-info part of a URI quoted in an error message. */
	private static final Pattern USER_INFO = Pattern.compile("//[^/@\\s]*@");

	private final Redlock redlock;

	private final Duration timeout;

	RedlockHealthCheck(Redlock redlock, Duration timeout) {
		this.redlock = Objects.requireNonNull(redlock, "redlock must not be null");
		Objects.requireNonNull(timeout, "timeout must not be null");
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("timeout must be positive, but was " + timeout);
		}
		this.timeout = timeout;
	}

	Result check() {
		List<NodeVote> votes;
		try {
			votes = this.redlock.ping().toCompletableFuture().get(this.timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			return unanswered("no answer from the nodes within " + this.timeout.toMillis() + " ms");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return unanswered("interrupted while waiting for the nodes");
		}
		catch (ExecutionException ex) {
			// ping() reports node failures as votes; this is Redlock itself failing, closed for one.
			return unanswered(describe(ex.getCause()));
		}
		catch (RuntimeException ex) {
			// The same, thrown rather than reported: the endpoint must still answer.
			return unanswered(describe(ex));
		}
		return result(votes);
	}

	private Result result(List<NodeVote> votes) {
		Map<String, String> nodes = new LinkedHashMap<>();
		int up = 0;
		for (NodeVote vote : votes) {
			if (vote.vote() == NodeVote.Vote.GRANTED) {
				up++;
				nodes.put(vote.node(), "up");
			}
			else {
				nodes.put(vote.node(), "down: " + ((vote.error() != null) ? describe(vote.error()) : "unexpected answer to PING"));
			}
		}
		int quorum = this.redlock.quorum();
		int total = votes.size();
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("quorum", quorum);
		details.put("nodesUp", up);
		details.put("nodesTotal", total);
		if (up >= quorum && up < total) {
			details.put("warning", degraded(total - up, total, quorum, up - quorum));
		}
		else if (up < quorum) {
			details.put("error", "only " + up + " of " + total + " nodes answered, " + quorum + " are needed to lock");
		}
		details.put("nodes", nodes);
		return new Result(up >= quorum, details);
	}

	private static String degraded(int down, int total, int quorum, int tolerated) {
		String standing = down + " of " + total + " nodes down; the quorum of " + quorum + " still stands";
		return (tolerated == 0) ? standing + ", but one more failure loses it"
				: standing + " and tolerates " + tolerated + " more " + ((tolerated == 1) ? "failure" : "failures");
	}

	private Result unanswered(String error) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("quorum", this.redlock.quorum());
		details.put("nodesTotal", this.redlock.nodes().size());
		details.put("error", error);
		return new Result(false, details);
	}

	/** The error and its root cause, which often says more ("Connection refused"), masked. */
	private static String describe(Throwable error) {
		Throwable top = (error instanceof CompletionException && error.getCause() != null) ? error.getCause() : error;
		Throwable root = top;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String text = message(top);
		if (root != top && !text.contains(message(root))) {
			text = text + ": " + message(root);
		}
		return USER_INFO.matcher(text).replaceAll("//****@");
	}

	private static String message(Throwable error) {
		String message = error.getMessage();
		return (message != null && !message.isBlank()) ? message : error.getClass().getSimpleName();
	}

	/**
	 * One check's outcome.
	 * @param up whether a quorum answered
	 * @param details the details, in the order they are shown
	 */
	record Result(boolean up, Map<String, Object> details) {

		Result {
			details = Collections.unmodifiableMap(details);
		}

	}

}
