package dev.redlock.spring.boot;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import dev.redlock.RedlockListener;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every event of the core's listener reaches every listener bean, also one added later to the interface. */
class RedlockListenersTests {

	@Test
	void forwardsEveryEventTheListenerInterfaceDeclares() throws Exception {
		for (Method event : RedlockListener.class.getMethods()) {
			Method forwarded = RedlockListeners.class.getMethod(event.getName(), event.getParameterTypes());
			assertThat(forwarded.getDeclaringClass()).as("RedlockListeners forwards %s", event.getName())
				.isEqualTo(RedlockListeners.class);
		}
	}

	@Test
	void aNodeThatBecameAnotherServerIsToldToEveryListenerEvenAfterOneThrows() {
		List<String> heard = new ArrayList<>();
		RedlockListener throwing = new RedlockListener() {
			@Override
			public void onNodeIdentityChanged(String node, String previousRunId, String runId) {
				throw new IllegalStateException("listener bug");
			}
		};
		RedlockListener recording = new RedlockListener() {
			@Override
			public void onNodeIdentityChanged(String node, String previousRunId, String runId) {
				heard.add(node + " " + previousRunId + "->" + runId);
			}
		};
		new RedlockListeners(List.of(throwing, recording)).onNodeIdentityChanged("redis://127.0.0.1:6379", "a", "b");
		assertThat(heard).containsExactly("redis://127.0.0.1:6379 a->b");
	}

}
