/**
 * Micrometer meters of Redlock: {@code redlock.acquire}, {@code redlock.held},
 * {@code redlock.extend}, {@code redlock.lost}, {@code redlock.node.errors} and
 * {@code redlock.node.up}. Only loaded where Micrometer is on the classpath.
 */
package dev.redlock.spring.metrics;
