package dev.redlock.spring.boot;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import dev.redlock.NodeVote;
import dev.redlock.Redlock;
import dev.redlock.testkit.RedisCluster;
import dev.redlock.testkit.RedisServersExtension;
import dev.redlock.testkit.TlsCertificates;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SslOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.resource.ClientResources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the Redlock reaches its nodes, the Spring way: a {@link RedlockConnectionDetails} bean
 * instead of properties, {@code redlock.ssl.bundle} for {@code rediss://} nodes, the
 * application's Lettuce resource customizers, and a word at start-up on how many nodes answer.
 */
class RedlockConnectionTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	@TempDir
	static Path certificates;

	private static TlsCertificates tls;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RedlockAutoConfiguration.class, SslAutoConfiguration.class))
		.withPropertyValues("redlock.command-timeout=1s");

	private SecuredServers servers;

	@BeforeAll
	static void generateCertificates() {
		tls = TlsCertificates.generate(certificates);
	}

	@AfterEach
	void stopServers() {
		if (this.servers != null) {
			this.servers.close();
		}
	}

	@Test
	void aConnectionDetailsBeanSuppliesTheNodesWithoutProperties() {
		this.runner.withBean(RedlockConnectionDetails.class, () -> redis::uris).run((context) -> {
			Redlock redlock = context.getBean(Redlock.class);
			assertThat(redlock.nodes()).isEqualTo(redis.uris());
			redlock.acquire("locks:details", Duration.ofSeconds(5)).release();
		});
	}

	@Test
	void theNodesComeFromThePropertiesWithoutOne() {
		this.runner.withPropertyValues(TestNodes.of(redis)).run((context) -> {
			assertThat(context).hasSingleBean(PropertiesRedlockConnectionDetails.class);
			assertThat(context.getBean(Redlock.class).nodes()).isEqualTo(redis.uris());
		});
	}

	@Test
	void rediss_nodesTrustTheCertificateAuthorityOfAnSslBundle() {
		this.servers = SecuredServers.startTls(3, tls);
		this.runner.withPropertyValues(this.servers.nodes((server) -> "rediss://127.0.0.1:" + server.tlsPort()))
			.withPropertyValues("spring.ssl.bundle.pem.redis.truststore.certificate=" + tls.caCertificate().toUri(),
					"redlock.ssl.bundle=redis")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				context.getBean(Redlock.class).acquire("locks:tls", Duration.ofSeconds(5)).release();
			});
	}

	/**
	 * A cluster node's client is a {@link RedisClusterClient}: the bundle's material and the
	 * application's customizers must reach it too, not only the clients of {@code rediss://}
	 * nodes. Checked on a plain cluster: the bundle's options are in place, and locks work.
	 */
	@Test
	void theSslBundleAndTheCustomizersReachTheClientsOfClusterNodes() {
		List<SslOptions> seen = new CopyOnWriteArrayList<>();
		RedlockClientCustomizer capturing = new RedlockClientCustomizer() {

			@Override
			public void customize(RedisClient client) {
			}

			@Override
			public void customize(RedisClusterClient client) {
				seen.add(client.getOptions().getSslOptions());
			}

		};
		try (RedisCluster cluster = RedisCluster.start(3)) {
			this.runner.withPropertyValues("redlock.nodes[0]=" + cluster.uri(),
					"spring.ssl.bundle.pem.redis.truststore.certificate=" + tls.caCertificate().toUri(),
					"redlock.ssl.bundle=redis")
				.withBean(RedlockClientCustomizer.class, () -> capturing)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(seen).singleElement().isNotSameAs(ClientOptions.DEFAULT_SSL_OPTIONS);
					context.getBean(Redlock.class).acquire("locks:cluster:bundle", Duration.ofSeconds(5)).release();
				});
		}
	}

	@Test
	void withoutTheBundleTheSameNodesCannotBeTrusted() {
		this.servers = SecuredServers.startTls(3, tls);
		this.runner.withPropertyValues(this.servers.nodes((server) -> "rediss://127.0.0.1:" + server.tlsPort()))
			.run((context) -> assertThat(context.getBean(Redlock.class).ping().toCompletableFuture().join())
				.noneMatch((vote) -> vote.vote() == NodeVote.Vote.GRANTED));
	}

	@Test
	void anUnknownBundleFailsTheStart() {
		this.runner.withPropertyValues(TestNodes.of(redis)).withPropertyValues("redlock.ssl.bundle=missing")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("missing"));
	}

	@Test
	void appliesTheApplicationsLettuceResourceCustomizersFirstThenItsOwn() {
		List<String> applied = new CopyOnWriteArrayList<>();
		BootLine.withDataRedisCustomizer(this.runner.withConfiguration(BootLine.dataRedis()), (builder) -> applied.add("boot"))
			.withPropertyValues(TestNodes.of(redis))
			.withBean(RedlockClientResourcesBuilderCustomizer.class, () -> (builder) -> applied.add("own"))
			.run((context) -> {
				assertThat(context.getBean("redlockClientResources", ClientResources.class)).isNotNull();
				assertThat(applied).containsExactly("boot", "own");
			});
	}

	@Test
	void leavesTheApplicationsLettuceResourceCustomizersAloneWithoutSpringDataRedisSupport() {
		List<String> applied = new CopyOnWriteArrayList<>();
		BootLine.withDataRedisCustomizer(this.runner.withConfiguration(BootLine.dataRedis()), (builder) -> applied.add("boot"))
			.withPropertyValues(TestNodes.of(redis))
			.withClassLoader(new FilteredClassLoader(BootLine.dataRedisPackage()))
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean("redlockBootClientResourcesCustomizers");
				assertThat(applied).isEmpty();
			});
	}

	@Test
	void warnsAtStartUpNamingTheNodesThatDoNotAnswerWhenFewerThanAQuorumDo() throws IOException {
		List<Integer> ports = List.of(closedPort(), closedPort());
		try (LogCapture logs = new LogCapture()) {
			this.runner
				.withPropertyValues("redlock.nodes=redis://127.0.0.1:" + ports.get(0) + ",redis://127.0.0.1:" + ports.get(1)
						+ "," + redis.uris().get(0))
				.run((context) -> assertThat(context).hasNotFailed());
			String logger = NodeStartupCheck.class.getName();
			assertThat(logs.logged(logger, Level.WARN, "1 of 3 Redlock nodes answered at start-up, fewer than the quorum of 2"))
				.isTrue();
			assertThat(logs.logged(logger, Level.WARN, "127.0.0.1:" + ports.get(0))).isTrue();
			assertThat(logs.logged(logger, Level.WARN, "127.0.0.1:" + ports.get(1))).isTrue();
		}
	}

	@Test
	void saysAtStartUpThatEveryNodeAnswers() {
		try (LogCapture logs = new LogCapture()) {
			this.runner.withPropertyValues(TestNodes.of(redis)).run((context) -> assertThat(context).hasNotFailed());
			assertThat(logs.logged(NodeStartupCheck.class.getName(), Level.INFO, "3 of 3 Redlock nodes answered at start-up"))
				.isTrue();
			assertThat(logs.logged(NodeStartupCheck.class.getName(), Level.WARN, "Redlock nodes")).isFalse();
		}
	}

	/** A loopback port nothing listens on. */
	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
