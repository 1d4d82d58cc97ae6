package dev.redlock.spring.boot;

import java.time.Duration;
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

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Whether Redlock can lock: {@code UP} while a quorum of its nodes answers {@code PING},
 * {@code DOWN} otherwise. A node down is not a failure of Redlock as long as the quorum
 * stands, so a degraded cluster stays {@code UP} with a {@code warning} detail saying how many
 * nodes are down and how many more failures it tolerates.
 *
 * <p>
 * Details: {@code quorum}, {@code nodesUp}, {@code nodesTotal}, and {@code nodes}, which maps
 * every node, as {@link Redlock#nodes()} names it (without credentials), to {@code "up"} or
 * {@code "down: <error>"}. Error texts have any {@code //user:password@} part masked, since
 * health details may be shown to anyone who can reach the endpoint.
 */
public class RedlockHealthIndicator implements HealthIndicator {

	/** The user-info part of a URI quoted in an error message. */
	private static final Pattern USER_INFO = Pattern.compile("//[^/@\\s]*@");

	private final Redlock redlock;

	private final Duration timeout;

	/**
	 * @param redlock the Redlock whose nodes to check
	 * @param timeout how long one check waits for the nodes at most; the endpoint must answer
	 * even if something below Redlock hangs, so keep it a little above the command timeout
	 */
	public RedlockHealthIndicator(Redlock redlock, Duration timeout) {
		this.redlock = Objects.requireNonNull(redlock, "redlock must not be null");
		Objects.requireNonNull(timeout, "timeout must not be null");
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("timeout must be positive, but was " + timeout);
		}
		this.timeout = timeout;
	}

	@Override
	public Health health() {
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
		return health(votes);
	}

	private Health health(List<NodeVote> votes) {
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
		Health.Builder health = (up >= quorum) ? Health.up() : Health.down();
		health.withDetail("quorum", quorum).withDetail("nodesUp", up).withDetail("nodesTotal", total);
		if (up >= quorum && up < total) {
			health.withDetail("warning", degraded(total - up, total, quorum, up - quorum));
		}
		else if (up < quorum) {
			health.withDetail("error", "only " + up + " of " + total + " nodes answered, " + quorum
					+ " are needed to lock");
		}
		return health.withDetail("nodes", nodes).build();
	}

	private static String degraded(int down, int total, int quorum, int tolerated) {
		String standing = down + " of " + total + " nodes down; the quorum of " + quorum + " still stands";
		return (tolerated == 0) ? standing + ", but one more failure loses it"
				: standing + " and tolerates " + tolerated + " more " + ((tolerated == 1) ? "failure" : "failures");
	}

	private Health unanswered(String error) {
		return Health.down()
			.withDetail("quorum", this.redlock.quorum())
			.withDetail("nodesTotal", this.redlock.nodes().size())
			.withDetail("error", error)
			.build();
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

}
