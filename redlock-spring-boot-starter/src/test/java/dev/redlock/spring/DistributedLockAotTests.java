package dev.redlock.spring;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.redlock.LockHandle;
import dev.redlock.spring.boot.RedlockAutoConfiguration;
import dev.redlock.testkit.RedisServersExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.TypeHint;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.test.tools.CompileWithForkedClassLoader;
import org.springframework.core.test.tools.TestCompiler;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application whose bean definitions were generated ahead of time, as for a native image,
 * starts and locks; the hints cover what the advice and key expressions reach reflectively.
 */
@CompileWithForkedClassLoader
class DistributedLockAotTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private static RedisNodes nodes;

	@BeforeAll
	static void connect() {
		nodes = new RedisNodes(redis);
	}

	@AfterAll
	static void disconnect() {
		nodes.close();
	}

	@Test
	void anAotProcessedApplicationStartsAndLocks() {
		AnnotationConfigApplicationContext source = new AnnotationConfigApplicationContext();
		addProperties(source);
		source.register(AotApplication.class);
		TestGenerationContext generationContext = new TestGenerationContext();
		ClassName initializer = new ApplicationContextAotGenerator().processAheadOfTime(source, generationContext);
		generationContext.writeGeneratedContent();
		assertHints(generationContext.getRuntimeHints());
		TestCompiler.forSystem().with(generationContext).compile((compiled) -> {
			@SuppressWarnings("unchecked")
			ApplicationContextInitializer<GenericApplicationContext> init = compiled
				.getInstance(ApplicationContextInitializer.class, initializer.toString());
			try (GenericApplicationContext context = new GenericApplicationContext()) {
				addProperties(context);
				init.initialize(context);
				context.refresh();
				Job job = context.getBean(Job.class);
				assertThat(AopUtils.isAopProxy(job)).isTrue();
				assertThat(job.run("aot")).isTrue();
				assertThat(nodes.releasedEverywhere("locks:job:run:aot")).isTrue();
			}
		});
	}

	private static void assertHints(RuntimeHints hints) {
		// Read from the hints themselves: the predicate for this is named differently in Framework 6.2 and 7.
		TypeHint job = hints.reflection().getTypeHint(Job.class);
		assertThat(job).as("hints for Job").isNotNull();
		assertThat(job.methods()).anySatisfy((method) -> {
			assertThat(method.getName()).isEqualTo("run");
			assertThat(method.getMode()).isEqualTo(ExecutableMode.INVOKE);
		});
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(TypeReference.of(LockExpressionRootObject.class))
			.withMemberCategory(org.springframework.aot.hint.MemberCategory.INVOKE_PUBLIC_METHODS)).accepts(hints);
	}

	private static void addProperties(GenericApplicationContext context) {
		Map<String, Object> properties = new LinkedHashMap<>();
		for (String property : RedisNodes.properties(redis)) {
			int equals = property.indexOf('=');
			properties.put(property.substring(0, equals), property.substring(equals + 1));
		}
		context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test", properties));
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ AopAutoConfiguration.class, RedlockAutoConfiguration.class })
	public static class AotApplication {

		@Bean
		public Job job() {
			return new Job();
		}

	}

	public static class Job {

		@DistributedLock(key = "'job:' + #root.methodName + ':' + #p0")
		public boolean run(String name) {
			LockHandle lock = DistributedLocks.currentLock().orElseThrow();
			return lock.resources().contains("locks:job:run:" + name)
					&& nodes.holdEverywhere(lock.resources(), lock.value());
		}

	}

}
