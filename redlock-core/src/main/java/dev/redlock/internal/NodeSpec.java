package dev.redlock.internal;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;

/**
 * A configured node: its URI, and the client to reach it through when the user manages
 * one ({@code null} when the Redlock creates and owns the client).
 */
public record NodeSpec(RedisURI uri, RedisClient client) {
}
