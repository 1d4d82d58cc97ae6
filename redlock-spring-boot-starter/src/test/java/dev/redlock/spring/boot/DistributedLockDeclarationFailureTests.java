package dev.redlock.spring.boot;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.stream.Stream;

import dev.redlock.spring.DistributedLock;
import dev.redlock.testkit.RedisServersExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code @DistributedLock} that cannot be applied fails the start with a failure analysis
 * that names the method and says what to change, like the properties do.
 */
class DistributedLockDeclarationFailureTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(1);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, RedlockAutoConfiguration.class))
		.withPropertyValues("redlock.nodes[0]=" + redis.uris().get(0));

	@Test
	void aStreamResultFailsTheStart() {
		assertAnalysis(Streams.class, "Streams.all", "returns java.util.stream.Stream", "collect the results into a List");
	}

	@Test
	void anIteratorResultFailsTheStart() {
		assertAnalysis(Iterators.class, "Iterators.all", "returns java.util.Iterator", "return a Flux");
	}

	@Test
	void aPlainFutureResultFailsTheStart() {
		assertAnalysis(Futures.class, "Futures.later", "a Future whose completion the lock cannot follow",
				"return a CompletableFuture");
	}

	@Test
	void aFinalMethodOfAClassProxiedBeanFailsTheStart() {
		assertAnalysis(Finals.class, "Finals.run", "is final", "remove the final modifier");
	}

	@Test
	void aPrivateMethodFailsTheStart() {
		assertAnalysis(Privates.class, "Privates.run", "is private", "make the method public");
	}

	@Test
	void aBadKeyFailsTheStartWithAnAnalysis() {
		assertAnalysis(BadKey.class, "BadKey.run", "not valid SpEL", "a literal needs quotes");
	}

	@Test
	void aBadDurationFailsTheStartWithAnAnalysis() {
		assertAnalysis(BadTtl.class, "BadTtl.run", "ttl = \"soon\"", "use a form such as 10s");
	}

	@Test
	void analyzesNothingElse() {
		assertThat(new DistributedLockDeclarationFailureAnalyzer().analyze(new IllegalStateException("other"))).isNull();
	}

	private void assertAnalysis(Class<?> bean, String method, String problem, String action) {
		this.runner.withBean(bean).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new DistributedLockDeclarationFailureAnalyzer()
				.analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains(method).contains(problem);
			assertThat(analysis.getAction()).contains(method).contains(action);
		});
	}

	static class Streams {

		@DistributedLock(key = "'streams'")
		public Stream<String> all() {
			return Stream.of("a");
		}

	}

	static class Iterators {

		@DistributedLock(key = "'iterators'")
		public Iterator<String> all() {
			return List.of("a").iterator();
		}

	}

	static class Futures {

		@DistributedLock(key = "'futures'")
		public Future<String> later() {
			return new FutureTask<>(() -> "a");
		}

	}

	static class Finals {

		@DistributedLock(key = "'finals'")
		public final void run() {
		}

	}

	static class Privates {

		@DistributedLock(key = "'privates'")
		private void run() {
		}

		void callRun() {
			run();
		}

	}

	static class BadKey {

		@DistributedLock(key = "'job:' + ")
		public void run() {
		}

	}

	static class BadTtl {

		@DistributedLock(key = "'job'", ttl = "soon")
		public void run() {
		}

	}

}
