package dev.redlock.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Runs sample test classes in-process, so that what the extension does after a class or test
 * ends (which no test inside it can observe) can be checked. The samples are static member
 * classes, which build tools do not pick up as tests of their own.
 */
class RedisServersExtensionLifecycleTest {

	/** The group each sample test saw, in execution order. */
	private static final List<RedisServers> seen = new CopyOnWriteArrayList<>();

	@Test
	void staticRegistrationSharesOneGroupWithNestedClassesAndClosesItAfterTheClass() {
		List<RedisServers> groups = run(StaticRegistration.class, 3);

		assertThat(groups).hasSize(3).containsOnly(groups.get(0));
		assertAllClosed(groups);
	}

	@Test
	void instanceRegistrationGivesEachTestItsOwnGroupAndClosesItAfterTheTest() {
		List<RedisServers> groups = run(InstanceRegistration.class, 2);

		assertThat(groups).hasSize(2).doesNotHaveDuplicates();
		assertAllClosed(groups);
	}

	@Test
	void instanceRegistrationWithOneInstancePerClassSharesOneGroupAndClosesItAfterTheClass() {
		List<RedisServers> groups = run(InstanceRegistrationPerClass.class, 2);

		assertThat(groups).hasSize(2).containsOnly(groups.get(0));
		assertAllClosed(groups);
	}

	private static List<RedisServers> run(Class<?> sample, int expectedTests) {
		seen.clear();
		EngineExecutionResults results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(sample)).execute();

		List<Throwable> failures = results.allEvents().failed().stream()
				.map(event -> event.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
				.toList();
		assertThat(failures).isEmpty();
		results.testEvents().assertStatistics(stats -> stats.succeeded(expectedTests));
		return List.copyOf(seen);
	}

	private static void assertAllClosed(List<RedisServers> groups) {
		groups.stream().flatMap(RedisServers::stream).forEach(server -> {
			assertThat(server.isRunning()).as("%s still running", server).isFalse();
			assertThat(Probes.isGone(server.pid())).as("%s process gone", server).isTrue();
		});
	}

	static class StaticRegistration {

		@RegisterExtension
		static final RedisServersExtension redis = RedisServersExtension.nodes(2);

		@Test
		void first(RedisServers servers) {
			seen.add(servers);
		}

		@Test
		void second() {
			seen.add(redis.servers());
		}

		@Nested
		class Inner {

			@Test
			void nested() {
				seen.add(redis.servers());
			}
		}
	}

	static class InstanceRegistration {

		@RegisterExtension
		final RedisServersExtension redis = RedisServersExtension.nodes(1);

		@Test
		void first(RedisServers servers) {
			assertThat(servers).isSameAs(redis.servers());
			seen.add(servers);
		}

		@Test
		void second() {
			seen.add(redis.servers());
		}
	}

	@TestInstance(TestInstance.Lifecycle.PER_CLASS)
	static class InstanceRegistrationPerClass {

		@RegisterExtension
		final RedisServersExtension redis = RedisServersExtension.nodes(1);

		@Test
		void first() {
			seen.add(redis.servers());
		}

		@Test
		void second() {
			seen.add(redis.servers());
		}
	}
}
