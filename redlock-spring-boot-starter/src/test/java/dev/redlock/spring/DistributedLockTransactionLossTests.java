package dev.redlock.spring;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import dev.redlock.LockHandle;
import dev.redlock.spring.boot.RedlockAutoConfiguration;
import dev.redlock.testkit.RedisServersExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabase;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseBuilder;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * With a real transaction manager and an embedded database: a transaction never commits after
 * its lock was lost, whether it began inside the locked method or outside it.
 */
class DistributedLockTransactionLossTests {

	private static final Duration GENEROUS = Duration.ofSeconds(30);

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private static RedisNodes nodes;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, RedlockAutoConfiguration.class))
		.withPropertyValues(RedisNodes.properties(redis))
		.withPropertyValues("redlock.command-timeout=200ms")
		.withUserConfiguration(Database.class)
		.withBean(Payments.class);

	@BeforeAll
	static void connect() {
		nodes = new RedisNodes(redis);
	}

	@AfterAll
	static void disconnect() {
		nodes.close();
	}

	@Test
	void aTransactionInsideTheMethodRollsBackWhenTheKeysAreDeletedBeforeItCommits() {
		this.runner.run((context) -> {
			Payments payments = context.getBean(Payments.class);
			Throwable failure = catchThrowable(() -> payments.pay(1, () -> {
				nodes.deleteEverywhere("locks:payment:1");
				awaitLost();
			}));
			assertThat(failure).isInstanceOf(DistributedLockLostException.class)
				.hasMessageContaining("Lost the distributed lock on [locks:payment:1]")
				.hasMessageContaining("Payments.pay")
				.hasMessageContaining("rolled back");
			assertThat(payments.count()).isZero();
		});
	}

	@Test
	void aTransactionInsideTheMethodRollsBackWhenTheNodesArePausedPastTheTtl() {
		this.runner.run((context) -> {
			Payments payments = context.getBean(Payments.class);
			RedisNodes.warmUp(context);
			Throwable failure = catchThrowable(() -> payments.pay(2, () -> {
				for (int i = 0; i < redis.size(); i++) {
					redis.get(i).pause();
				}
				try {
					awaitLost();
				}
				finally {
					for (int i = 0; i < redis.size(); i++) {
						redis.get(i).resume();
					}
				}
			}));
			assertThat(failure).isInstanceOf(DistributedLockLostException.class)
				.hasMessageContaining("Lost the distributed lock on [locks:payment:2]");
			assertThat(payments.count()).isZero();
		});
	}

	@Test
	void theCheckOnTheNodesCatchesALossTheLockHasNotNoticedYet() {
		this.runner.withPropertyValues("redlock.transaction.check-nodes=true").run((context) -> {
			Payments payments = context.getBean(Payments.class);
			AtomicReference<Boolean> heldLocally = new AtomicReference<>();
			Throwable failure = catchThrowable(() -> payments.payWithLongTtl(3, () -> {
				nodes.deleteEverywhere("locks:payment:3");
				heldLocally.set(DistributedLocks.currentLock().orElseThrow().isHeld());
			}));
			assertThat(heldLocally.get()).isTrue();
			assertThat(failure).isInstanceOf(DistributedLockLostException.class)
				.hasMessageContaining("as the nodes answer");
			assertThat(payments.count()).isZero();
		});
	}

	@Test
	void aCallInsideAnOuterTransactionKeepsItsLockUntilTheOuterCommit() {
		this.runner.run((context) -> {
			Payments payments = context.getBean(Payments.class);
			AtomicReference<List<String>> afterCall = new AtomicReference<>();
			transactions(context).executeWithoutResult((status) -> {
				payments.record(4);
				afterCall.set(nodes.values("locks:record:4"));
			});
			assertThat(afterCall.get()).hasSize(3).doesNotContainNull();
			assertThat(nodes.releasedEverywhere("locks:record:4")).isTrue();
			assertThat(payments.count()).isEqualTo(1);
		});
	}

	@Test
	void withHoldUntilCompletionOffTheLockIsReleasedWhenTheCallReturns() {
		this.runner.withPropertyValues("redlock.transaction.hold-until-completion=false").run((context) -> {
			Payments payments = context.getBean(Payments.class);
			AtomicReference<Boolean> absentAfterCall = new AtomicReference<>();
			transactions(context).executeWithoutResult((status) -> {
				payments.record(5);
				absentAfterCall.set(nodes.releasedEverywhere("locks:record:5"));
			});
			assertThat(absentAfterCall.get()).isTrue();
		});
	}

	@Test
	void anOuterTransactionRollsBackWhenTheKeptLockIsLostBeforeItCommits() {
		this.runner.run((context) -> {
			Payments payments = context.getBean(Payments.class);
			Throwable failure = catchThrowable(() -> transactions(context).executeWithoutResult((status) -> {
				LockHandle lock = payments.record(6);
				nodes.deleteEverywhere("locks:record:6");
				await().atMost(GENEROUS).until(() -> !lock.isHeld());
			}));
			assertThat(failure).isInstanceOf(DistributedLockLostException.class)
				.hasMessageContaining("Lost the distributed lock on [locks:record:6]");
			assertThat(payments.count()).isZero();
		});
	}

	@Test
	void aSecondCallInTheSameTransactionJoinsTheKeptLock() {
		this.runner.run((context) -> {
			Payments payments = context.getBean(Payments.class);
			transactions(context).executeWithoutResult((status) -> {
				LockHandle first = payments.record(7);
				LockHandle second = payments.recordAgain(7);
				assertThat(second).isSameAs(first);
			});
			assertThat(payments.count()).isEqualTo(2);
			assertThat(nodes.releasedEverywhere("locks:record:7")).isTrue();
		});
	}

	private static void awaitLost() {
		LockHandle lock = DistributedLocks.currentLock().orElseThrow();
		await().atMost(GENEROUS).until(() -> !lock.isHeld());
	}

	private static TransactionTemplate transactions(org.springframework.context.ApplicationContext context) {
		return new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableTransactionManagement
	static class Database {

		@Bean(destroyMethod = "shutdown")
		EmbeddedDatabase dataSource() {
			return new EmbeddedDatabaseBuilder().setType(EmbeddedDatabaseType.H2).generateUniqueName(true).build();
		}

		@Bean
		DataSourceTransactionManager transactionManager(DataSource dataSource) {
			return new DataSourceTransactionManager(dataSource);
		}

		@Bean
		JdbcTemplate jdbcTemplate(DataSource dataSource) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			jdbc.execute("create table payments (id bigint)");
			return jdbc;
		}

	}

	static class Payments {

		private final JdbcTemplate jdbc;

		Payments(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		/** Writes a row in a transaction that begins inside the lock, then runs {@code midway}. */
		@Transactional
		@DistributedLock(key = "'payment:' + #id", ttl = "1s")
		public void pay(long id, Runnable midway) {
			this.jdbc.update("insert into payments (id) values (?)", id);
			midway.run();
		}

		@Transactional
		@DistributedLock(key = "'payment:' + #id", ttl = "30s")
		public void payWithLongTtl(long id, Runnable midway) {
			this.jdbc.update("insert into payments (id) values (?)", id);
			midway.run();
		}

		/** Writes a row in the caller's transaction. */
		@DistributedLock(key = "'record:' + #id", ttl = "1s", waitTime = "0")
		public LockHandle record(long id) {
			this.jdbc.update("insert into payments (id) values (?)", id);
			return DistributedLocks.currentLock().orElseThrow();
		}

		@DistributedLock(key = "'record:' + #id", ttl = "1s", waitTime = "0")
		public LockHandle recordAgain(long id) {
			return record(id);
		}

		public int count() {
			return this.jdbc.queryForObject("select count(*) from payments", Integer.class);
		}

	}

}
