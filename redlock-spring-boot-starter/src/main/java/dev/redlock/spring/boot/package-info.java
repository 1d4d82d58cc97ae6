/**
 * Spring Boot auto-configuration of Redlock, bound to the {@code redlock.*} properties.
 */
package dev.redlock.spring.boot;
