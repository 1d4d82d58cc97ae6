/**
 * The machinery behind {@link dev.redlock.spring.DistributedLock @DistributedLock} and
 * {@link dev.redlock.spring.DistributedLockTemplate}: the advisor, the locks held by the
 * current thread and transaction, the transaction hooks and the AOT hints. Not API: it may
 * change in any release.
 */
package dev.redlock.spring.internal;
