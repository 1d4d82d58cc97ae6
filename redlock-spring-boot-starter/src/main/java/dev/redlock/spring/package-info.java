/**
 * The {@link dev.redlock.spring.DistributedLock @DistributedLock} annotation and the aspect
 * that applies it.
 */
package dev.redlock.spring;
