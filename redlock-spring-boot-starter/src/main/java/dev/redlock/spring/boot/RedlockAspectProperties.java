package dev.redlock.spring.boot;

import org.springframework.core.Ordered;

/**
 * Settings of the @DistributedLock advisor, bound to {@code redlock.aspect.*}: a group of
 * {@link RedlockProperties}.
 */
public class RedlockAspectProperties {

	/**
	 * Order of the @DistributedLock advisor. The default runs it outside @Transactional,
	 * so a lock is released only after the transaction commits.
	 */
	private int order = Ordered.LOWEST_PRECEDENCE - 100;

	public int getOrder() {
		return this.order;
	}

	public void setOrder(int order) {
		this.order = order;
	}

}
