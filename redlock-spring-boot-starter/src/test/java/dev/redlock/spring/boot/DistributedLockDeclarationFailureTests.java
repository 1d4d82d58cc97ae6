package dev.redlock.spring.boot;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.stream.Stream;

import dev.redlock.spring.DistributedLock;
import dev.redlock.spring.DistributedLocks;
import dev.redlock.testkit.RedisServersExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatRuntimeException;

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

	/**
	 * A lazy bean does not exist when the start is checked; Spring Boot proxies target classes
	 * by default, so it gets a subclass even though it has an interface.
	 */
	@Test
	void aFinalMethodOfALazyBeanWithAnInterfaceFailsTheStart() {
		assertAnalysis(this.runner.withBean(InterfacedFinals.class, InterfacedFinals::new,
				(definition) -> definition.setLazyInit(true)), "InterfacedFinals.run", "is final",
				"remove the final modifier");
	}

	@Test
	void aFinalMethodOfAPrototypeBeanWithAnInterfaceFailsTheStart() {
		assertAnalysis(this.runner.withBean(InterfacedFinals.class, InterfacedFinals::new,
				(definition) -> definition.setScope(BeanDefinition.SCOPE_PROTOTYPE)), "InterfacedFinals.run", "is final",
				"remove the final modifier");
	}

	/**
	 * With {@code spring.aop.proxy-target-class=false} the bean is proxied through its
	 * interface, whose calls reach the final method under the lock.
	 */
	@Test
	void aFinalMethodOfALazyBeanProxiedThroughItsInterfaceIsLocked() {
		this.runner.withPropertyValues("spring.aop.proxy-target-class=false")
			.withBean(InterfacedFinals.class, InterfacedFinals::new, (definition) -> definition.setLazyInit(true))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				Job job = context.getBean(Job.class);
				assertThat(AopUtils.isJdkDynamicProxy(job)).isTrue();
				assertThat(job.run()).as("held a lock on locks:interfaced-finals").isTrue();
			});
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

	/**
	 * Registered in {@code META-INF/spring.factories}: a real application that fails to start
	 * prints the analysis, not a bare stack trace. Boot's logging system stays off, so it does
	 * not replace the capture.
	 */
	@Test
	void aRealApplicationPrintsTheAnalysis() {
		String previous = System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
		try (LogCapture logs = new LogCapture()) {
			SpringApplicationBuilder application = new SpringApplicationBuilder(Application.class)
				.web(WebApplicationType.NONE)
				.properties("spring.main.banner-mode=off", "redlock.nodes[0]=" + redis.uris().get(0));
			assertThatRuntimeException().isThrownBy(application::run);
			assertThat(logs.events()).as("Spring Boot's failure report")
				.anySatisfy((event) -> assertThat(event).contains("APPLICATION FAILED TO START")
					.contains("A @DistributedLock cannot be applied")
					.contains("Method: " + BadTtl.class.getName())
					.contains("ttl = \"soon\"")
					.contains("Action:")
					.contains("Change the @DistributedLock method")
					.contains("use a form such as 10s"));
		}
		finally {
			if (previous != null) {
				System.setProperty(LoggingSystem.SYSTEM_PROPERTY, previous);
			}
			else {
				System.clearProperty(LoggingSystem.SYSTEM_PROPERTY);
			}
		}
	}

	@Test
	void analyzesNothingElse() {
		assertThat(new DistributedLockDeclarationFailureAnalyzer().analyze(new IllegalStateException("other"))).isNull();
	}

	private void assertAnalysis(Class<?> bean, String method, String problem, String action) {
		assertAnalysis(this.runner.withBean(bean), method, problem, action);
	}

	private void assertAnalysis(ApplicationContextRunner runner, String method, String problem, String action) {
		runner.run((context) -> {
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

	interface Job {

		boolean run();

	}

	static class InterfacedFinals implements Job {

		@Override
		@DistributedLock(key = "'interfaced-finals'")
		public final boolean run() {
			return DistributedLocks.currentLock()
				.map((lock) -> lock.resources().contains("locks:interfaced-finals"))
				.orElse(false);
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

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ AopAutoConfiguration.class, RedlockAutoConfiguration.class })
	@Import(BadTtl.class)
	static class Application {

	}

}
