/**
 * Real {@code redis-server} processes for tests: start as many as a test needs on free
 * loopback ports, then stop, kill, pause, resume and restart them to simulate node failures.
 *
 * <ul>
 *   <li>{@link dev.redlock.testkit.RedisServer} is one process;</li>
 *   <li>{@link dev.redlock.testkit.RedisServers} is a group of independent ones, the shape a
 *       Redlock quorum needs;</li>
 *   <li>{@link dev.redlock.testkit.RedisServersExtension} manages a group for a JUnit 5 test
 *       class and heals and flushes it before every test;</li>
 *   <li>{@link dev.redlock.testkit.RedlockTestProperties} points a Spring test's
 *       {@code redlock.nodes} at such a group from a {@code @DynamicPropertySource} method;</li>
 *   <li>{@link dev.redlock.testkit.RedisCluster} is a real Redis Cluster (masters, optional
 *       replicas) that can move a slot ({@link dev.redlock.testkit.SlotMigration}) and kill a
 *       shard, and {@link dev.redlock.testkit.RedisClusterExtension} gives a test class several;</li>
 *   <li>{@link dev.redlock.testkit.SentinelGroup} is a master, a replica and three sentinels
 *       that can fail over, and {@link dev.redlock.testkit.SentinelGroupExtension} gives a test
 *       class several;</li>
 *   <li>{@link dev.redlock.testkit.FaultProxy} stands in front of one server as a loopback TCP
 *       proxy that adds latency, drops connections or blackholes traffic, and
 *       {@link dev.redlock.testkit.FaultProxies} puts one in front of each server of a group;</li>
 *   <li>{@link dev.redlock.testkit.TlsCertificates} makes a throw-away certificate authority and
 *       server certificate with the JDK's {@code keytool}, for servers started with a TLS port;</li>
 *   <li>{@link dev.redlock.testkit.RedisServerBinary} finds the executable: the
 *       {@code REDLOCK_REDIS_SERVER} variable, then the binaries shipped in the
 *       {@code embedded-redis} jar, then the {@code PATH} on platforms without one.</li>
 * </ul>
 *
 * <p>No process outlives the JVM that started it: a shutdown hook kills them on a normal exit,
 * and a small watchdog shell process kills them if the JVM itself is killed with
 * {@code SIGKILL}.
 */
package dev.redlock.testkit;
