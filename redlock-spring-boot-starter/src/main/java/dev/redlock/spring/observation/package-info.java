/**
 * The {@code redlock.lock} Micrometer observation of locked calls. Only loaded where
 * Micrometer's observation API is on the classpath.
 */
package dev.redlock.spring.observation;
