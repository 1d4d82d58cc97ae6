package dev.redlock;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.redlock.internal.NodeSpec;

/**
 * The nodes a {@link RedlockBuilder} was given, in order, and what is wrong with them: an
 * entry that could not be parsed is kept as a problem, reported by {@link #problems()} with
 * every other one rather than thrown at once, and without echoing credentials.
 */
final class NodeList {

	private final List<NodeSpec> nodes = new ArrayList<>();

	private final List<String> invalid = new ArrayList<>();

	/** Adds a node given by URI; see {@link RedlockBuilder#nodes(List)}. */
	void add(String uri) {
		try {
			add(NodeUris.isCluster(uri) ? NodeSpec.cluster(NodeUris.parseCluster(uri))
					: NodeSpec.standalone(NodeUris.parse(uri), null));
		}
		catch (IllegalArgumentException ex) {
			this.invalid.add("nodes[" + (this.nodes.size() + this.invalid.size()) + "] " + ex.getMessage());
		}
	}

	void add(NodeSpec node) {
		this.nodes.add(node);
	}

	List<NodeSpec> specs() {
		return this.nodes;
	}

	/** The entries that could not be parsed, an empty list, and every server listed twice. */
	List<String> problems() {
		List<String> problems = new ArrayList<>(this.invalid);
		if (this.nodes.isEmpty() && this.invalid.isEmpty()) {
			problems.add("nodes: at least one node is required (3 or 5 independent masters tolerate 1 or 2 failures)");
		}
		// One server listed twice, even as another database or with other credentials, would
		// vote twice: two holders could then each count a majority.
		List<List<String>> servers = new ArrayList<>();
		for (int i = 0; i < this.nodes.size(); i++) {
			NodeSpec spec = this.nodes.get(i);
			List<String> server = spec.uris().stream().map(NodeUris::server).toList();
			int first = -1;
			for (int j = 0; j < servers.size() && first < 0; j++) {
				first = Collections.disjoint(servers.get(j), server) ? -1 : j;
			}
			if (first >= 0) {
				String name = spec.name();
				String earlier = this.nodes.get(first).name();
				problems.add("nodes[" + i + "]: " + name + " is listed twice"
						+ (name.equals(earlier) ? "" : " (nodes[" + first + "] " + earlier + " is the same server)")
						+ "; a node must vote only once");
			}
			servers.add(server);
		}
		return problems;
	}

}
