/**
 * Internals of the Redlock implementation: node connections, Lua scripts, quorum tallies,
 * the acquisition loop and release notifications. Not an API: anything here may change in
 * any release without notice. Use the types in {@code dev.redlock}.
 */
package dev.redlock.internal;
