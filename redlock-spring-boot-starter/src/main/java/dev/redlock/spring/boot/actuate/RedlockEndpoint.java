package dev.redlock.spring.boot.actuate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import dev.redlock.NodeVote;
import dev.redlock.Redlock;
import dev.redlock.spring.ActiveLocks;
import dev.redlock.spring.ActiveLocks.ActiveLock;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code redlock} actuator endpoint: the nodes (without credentials), the quorum, which
 * nodes answer a ping now, and every lock this instance holds for a locked call.
 */
@Endpoint(id = "redlock")
public class RedlockEndpoint {

	private final Redlock redlock;

	private final ActiveLocks activeLocks;

	private final Duration timeout;

	/**
	 * @param redlock whose nodes to show
	 * @param activeLocks the locks held
	 * @param timeout how long the endpoint waits for the nodes' answers
	 */
	public RedlockEndpoint(Redlock redlock, ActiveLocks activeLocks, Duration timeout) {
		this.redlock = Objects.requireNonNull(redlock, "redlock must not be null");
		this.activeLocks = Objects.requireNonNull(activeLocks, "activeLocks must not be null");
		this.timeout = Objects.requireNonNull(timeout, "timeout must not be null");
	}

	@ReadOperation
	public RedlockDescriptor redlock() {
		List<NodeDescriptor> nodes = new ArrayList<>();
		List<NodeVote> votes = ping();
		for (String node : this.redlock.nodes()) {
			NodeVote vote = votes.stream().filter((v) -> v.node().equals(node)).findFirst().orElse(null);
			boolean up = vote != null && vote.vote() == NodeVote.Vote.GRANTED;
			String error = (vote == null) ? "no answer within " + this.timeout.toMillis() + " ms"
					: (vote.error() != null) ? vote.toString().substring(node.length() + 1) : null;
			nodes.add(new NodeDescriptor(node, up, up ? null : error));
		}
		int answering = (int) nodes.stream().filter(NodeDescriptor::up).count();
		return new RedlockDescriptor(nodes, this.redlock.quorum(), answering, answering >= this.redlock.quorum(),
				this.activeLocks.list());
	}

	private List<NodeVote> ping() {
		try {
			return this.redlock.ping().toCompletableFuture().get(this.timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return List.of();
		}
		catch (Exception ex) {
			return List.of();
		}
	}

	/**
	 * What the endpoint answers.
	 *
	 * @param nodes every node, in configured order
	 * @param quorum how many nodes must grant a lock
	 * @param answering how many nodes answered the ping
	 * @param canLock whether at least a quorum answered
	 * @param locks the locks this instance holds, oldest first
	 */
	public record RedlockDescriptor(List<NodeDescriptor> nodes, int quorum, int answering, boolean canLock,
			List<ActiveLock> locks) implements OperationResponseBody {
	}

	/**
	 * One node.
	 *
	 * @param node the node, without credentials
	 * @param up whether it answered the ping
	 * @param error why not, or {@code null}
	 */
	public record NodeDescriptor(String node, boolean up, String error) {
	}

}
