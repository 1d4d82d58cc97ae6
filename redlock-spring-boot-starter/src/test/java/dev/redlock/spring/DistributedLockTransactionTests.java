package dev.redlock.spring;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import dev.redlock.LockHandle;
import dev.redlock.spring.boot.RedlockAutoConfiguration;
import dev.redlock.testkit.RedisServersExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabase;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseBuilder;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * With a real transaction manager and database: by default the lock wraps the transaction,
 * so it is still held when the transaction commits and released only after.
 */
class DistributedLockTransactionTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	private static RedisNodes nodes;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RedlockAutoConfiguration.class))
		.withPropertyValues(RedisNodes.properties(redis))
		.withBean(Orders.class);

	@BeforeAll
	static void connect() {
		nodes = new RedisNodes(redis);
	}

	@AfterAll
	static void disconnect() {
		nodes.close();
	}

	@Test
	void theLockIsStillHeldWhenTheTransactionCommitsAndReleasedAfter() {
		this.runner.withUserConfiguration(Database.class).run((context) -> {
			Orders orders = context.getBean(Orders.class);
			List<Boolean> heldAtCommit = new CopyOnWriteArrayList<>();
			orders.place(1, heldAtCommit, false);
			assertThat(heldAtCommit).containsExactly(true);
			assertThat(nodes.releasedEverywhere("locks:order:1")).isTrue();
			assertThat(orders.count()).isEqualTo(1);
		});
	}

	@Test
	void theLockIsReleasedAfterARollbackAndTheExceptionPassesThrough() {
		this.runner.withUserConfiguration(Database.class).run((context) -> {
			Orders orders = context.getBean(Orders.class);
			List<Boolean> heldAtCompletion = new CopyOnWriteArrayList<>();
			assertThatIllegalStateException().isThrownBy(() -> orders.place(2, heldAtCompletion, true))
				.withMessage("rejected");
			assertThat(heldAtCompletion).containsExactly(true);
			assertThat(nodes.releasedEverywhere("locks:order:2")).isTrue();
			assertThat(orders.count()).isZero();
		});
	}

	@Test
	void anAspectOrderedInsideTheTransactionReleasesBeforeTheCommit() {
		this.runner.withUserConfiguration(OuterTransactionDatabase.class).run((context) -> {
			List<Boolean> heldAtCommit = new CopyOnWriteArrayList<>();
			context.getBean(Orders.class).place(3, heldAtCommit, false);
			assertThat(heldAtCommit).containsExactly(false);
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableTransactionManagement
	@Import(DatabaseBeans.class)
	static class Database {

	}

	/** Transactions first, with the lock inside them: what the default order prevents. */
	@Configuration(proxyBeanMethods = false)
	@EnableTransactionManagement(order = Ordered.HIGHEST_PRECEDENCE)
	@Import(DatabaseBeans.class)
	static class OuterTransactionDatabase {

	}

	@Configuration(proxyBeanMethods = false)
	static class DatabaseBeans {

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
			jdbc.execute("create table orders (id bigint primary key)");
			return jdbc;
		}

	}

	static class Orders {

		private final JdbcTemplate jdbc;

		Orders(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		/**
		 * Inserts an order, and records at the end of the transaction whether this call's lock
		 * is still held on every node.
		 */
		@Transactional
		@DistributedLock(key = "'order:' + #id")
		public void place(long id, List<Boolean> heldAtEnd, boolean reject) {
			LockHandle lock = DistributedLocks.currentLock().orElseThrow();
			this.jdbc.update("insert into orders (id) values (?)", id);
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

				@Override
				public void afterCompletion(int status) {
					if (status == (reject ? STATUS_ROLLED_BACK : STATUS_COMMITTED)) {
						heldAtEnd.add(lock.isHeld() && nodes.holdEverywhere(lock.resources(), lock.value()));
					}
				}

			});
			if (reject) {
				throw new IllegalStateException("rejected");
			}
		}

		public int count() {
			return this.jdbc.queryForObject("select count(*) from orders", Integer.class);
		}

	}

}
