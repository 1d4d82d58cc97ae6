/**
 * The {@code redlock} actuator endpoint. Only loaded where the actuator is on the classpath.
 */
package dev.redlock.spring.boot.actuate;
