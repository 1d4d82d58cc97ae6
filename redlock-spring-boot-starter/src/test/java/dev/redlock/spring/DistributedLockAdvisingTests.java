package dev.redlock.spring;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;

import dev.redlock.LockHandle;
import dev.redlock.spring.boot.RedlockAutoConfiguration;
import dev.redlock.testkit.RedisServersExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.AliasFor;
import org.springframework.transaction.annotation.EnableTransactionManagement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every way of declaring {@code @DistributedLock} that start-up accepts is advised: on an
 * interface method through JDK and class proxies, as a composed annotation, with or without
 * Spring Boot's AOP auto-configuration; and where nothing would advise it, the start fails.
 */
class DistributedLockAdvisingTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private static RedisNodes nodes;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, RedlockAutoConfiguration.class))
		.withPropertyValues(RedisNodes.properties(redis));

	@BeforeAll
	static void connect() {
		nodes = new RedisNodes(redis);
	}

	@AfterAll
	static void disconnect() {
		nodes.close();
	}

	@Test
	void anAnnotationOnAnInterfaceMethodLocksThroughAJdkProxy() {
		this.runner.withPropertyValues("spring.aop.proxy-target-class=false")
			.withBean(Ledger.class, InterfaceLedger::new)
			.run((context) -> {
				Ledger ledger = context.getBean(Ledger.class);
				assertThat(AopUtils.isJdkDynamicProxy(ledger)).isTrue();
				assertThat(ledger.post("jdk")).isTrue();
				assertThat(nodes.releasedEverywhere("locks:ledger:jdk")).isTrue();
			});
	}

	@Test
	void anAnnotationOnAnInterfaceMethodLocksThroughAClassProxy() {
		this.runner.withBean(Ledger.class, InterfaceLedger::new).run((context) -> {
			Ledger ledger = context.getBean(Ledger.class);
			assertThat(AopUtils.isCglibProxy(ledger)).isTrue();
			assertThat(ledger.post("cglib")).isTrue();
		});
	}

	@Test
	void aComposedAnnotationLocksWithItsAliasedKey() throws NoSuchMethodException {
		assertThat(Accounts.class.getMethod("debit", long.class).getDeclaredAnnotation(DistributedLock.class)).isNull();
		this.runner.withBean(Accounts.class).run((context) -> {
			assertThat(context.getBean(Accounts.class).debit(7)).isTrue();
			assertThat(nodes.releasedEverywhere("locks:account:7")).isTrue();
		});
	}

	@Test
	void aspectJIsNotNeeded() {
		assertThat(AopUtils.class.getClassLoader().getResource("org/aspectj/weaver/Advice.class")).isNull();
		this.runner.withBean(Accounts.class).run((context) -> assertThat(context.getBean(Accounts.class).debit(8)).isTrue());
	}

	@Test
	void withAopAutoOffAndNoProxyCreatorTheStartFailsInsteadOfRunningUnlocked() {
		this.runner.withPropertyValues("spring.aop.auto=false").withBean(Accounts.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).isInstanceOf(DistributedLockDeclarationException.class)
				.hasMessageContaining("Accounts.debit")
				.hasMessageContaining("would run without its lock")
				.hasMessageContaining("spring.aop.auto=false");
		});
	}

	@Test
	void withAopAutoOffTheProxyCreatorOfTransactionManagementAppliesTheLock() {
		this.runner.withPropertyValues("spring.aop.auto=false")
			.withUserConfiguration(Transactions.class)
			.withBean(Accounts.class)
			.run((context) -> assertThat(context.getBean(Accounts.class).debit(9)).isTrue());
	}

	/** Whether {@code key}'s lock is the current one and every node holds it. */
	static boolean heldHere(String key) {
		LockHandle lock = DistributedLocks.currentLock().orElse(null);
		return lock != null && lock.resources().equals(List.of(key))
				&& nodes.holdEverywhere(lock.resources(), lock.value());
	}

	interface Ledger {

		@DistributedLock(key = "'ledger:' + #p0")
		boolean post(String id);

	}

	static class InterfaceLedger implements Ledger {

		@Override
		public boolean post(String id) {
			return heldHere("locks:ledger:" + id);
		}

	}

	@Target(ElementType.METHOD)
	@Retention(RetentionPolicy.RUNTIME)
	@DistributedLock(key = "'unused'", waitTime = "5s")
	@interface AccountLock {

		@AliasFor(annotation = DistributedLock.class, attribute = "key")
		String[] value();

	}

	static class Accounts {

		@AccountLock("'account:' + #p0")
		public boolean debit(long id) {
			return heldHere("locks:account:" + id);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableTransactionManagement
	static class Transactions {

	}

}
