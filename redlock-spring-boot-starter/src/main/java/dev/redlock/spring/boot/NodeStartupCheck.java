package dev.redlock.spring.boot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.redlock.NodeVote;
import dev.redlock.Redlock;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Pings the nodes once at start-up and says how many answer: INFO when a quorum does, WARN
 * naming the silent ones when fewer do. Never fails the start: nodes may come later.
 */
final class NodeStartupCheck {

	private static final Log logger = LogFactory.getLog(NodeStartupCheck.class);

	private NodeStartupCheck() {
	}

	/** Waits at most {@code timeout} for the answers. */
	static void check(Redlock redlock, Duration timeout) {
		List<NodeVote> votes;
		try {
			votes = redlock.ping().toCompletableFuture().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		catch (Exception ex) {
			logger.warn("Redlock could not ping its nodes at start-up within " + timeout.toMillis() + " ms: " + ex);
			return;
		}
		List<String> silent = new ArrayList<>();
		for (NodeVote vote : votes) {
			if (vote.vote() != NodeVote.Vote.GRANTED) {
				silent.add(vote.toString());
			}
		}
		int answered = votes.size() - silent.size();
		String summary = answered + " of " + votes.size() + " Redlock nodes answered at start-up";
		if (answered >= redlock.quorum()) {
			logger.info(summary + ((silent.isEmpty()) ? "" : "; not answering: " + silent));
		}
		else {
			logger.warn(summary + ", fewer than the quorum of " + redlock.quorum()
					+ ": no lock can be acquired until more are reachable. Not answering: " + silent);
		}
	}

}
