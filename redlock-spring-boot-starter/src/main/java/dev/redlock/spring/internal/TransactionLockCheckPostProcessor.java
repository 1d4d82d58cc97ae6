package dev.redlock.spring.internal;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.transaction.ConfigurableTransactionManager;
import org.springframework.transaction.TransactionExecution;
import org.springframework.transaction.TransactionExecutionListener;

/**
 * Adds a listener to every {@link ConfigurableTransactionManager} (every
 * {@code AbstractPlatformTransactionManager}: JDBC, JPA, JTA, ...) so that a transaction that
 * begins under a {@code @DistributedLock} or template lock checks that lock before it
 * commits, and rolls back if it was lost.
 */
public final class TransactionLockCheckPostProcessor implements BeanPostProcessor {

	private final TransactionExecutionListener listener;

	/**
	 * @param checkNodes whether the check asks a quorum of the nodes too, not only the lock's
	 * local state
	 */
	public TransactionLockCheckPostProcessor(boolean checkNodes) {
		this.listener = new LockCheckingListener(checkNodes);
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		if (bean instanceof ConfigurableTransactionManager manager
				&& !manager.getTransactionExecutionListeners().contains(this.listener)) {
			manager.addListener(this.listener);
		}
		return bean;
	}

	private record LockCheckingListener(boolean checkNodes) implements TransactionExecutionListener {

		@Override
		public void afterBegin(TransactionExecution transaction, Throwable beginFailure) {
			if (beginFailure == null) {
				LockTransactions.checkBeforeCommit(this.checkNodes);
			}
		}

	}

}
