package dev.redlock.sample;

import java.util.Map;

import dev.redlock.testkit.RedisServer;
import dev.redlock.testkit.RedisServers;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The embedded default: when no {@code redlock.nodes} are configured, starts three local
 * Redis nodes for the locks and one for the app's data, before the starter reads its
 * properties, and stops them with the application. With nodes configured it starts nothing,
 * and the data goes to {@code spring.data.redis.url}, or else to the first node.
 */
class EmbeddedRedis implements ApplicationListener<ApplicationEvent> {

	private static final Log logger = LogFactory.getLog(EmbeddedRedis.class);

	private RedisServers nodes;

	private RedisServer store;

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
			configure(prepared.getEnvironment());
		}
		else if (event instanceof ApplicationPreparedEvent prepared && this.nodes != null) {
			// Registered before any bean, so destroyed after all of them: the Redlock and the
			// Redis clients close before their servers go away, without reconnect noise.
			DefaultListableBeanFactory beans = (DefaultListableBeanFactory) prepared.getApplicationContext().getBeanFactory();
			beans.registerDisposableBean("embeddedRedis", this::stop);
		}
		else if (event instanceof ApplicationFailedEvent) {
			stop();
		}
	}

	private void configure(ConfigurableEnvironment environment) {
		boolean configured = environment.containsProperty("redlock.nodes")
				|| environment.containsProperty("redlock.nodes[0]");
		if (configured) {
			if (!environment.containsProperty("spring.data.redis.url")) {
				String first = environment.getProperty("redlock.nodes[0]",
						environment.getProperty("redlock.nodes", "").split(",")[0]);
				addFirst(environment, Map.of("spring.data.redis.url", first.trim()));
			}
			return;
		}
		this.nodes = RedisServers.start(3);
		this.store = RedisServer.start();
		logger.info("No redlock.nodes configured: started 3 local Redis nodes " + this.nodes.uris()
				+ " and a data store at " + this.store.uri() + "; they stop with the application");
		addFirst(environment, Map.of("redlock.nodes", String.join(",", this.nodes.uris()), "spring.data.redis.url",
				this.store.uri()));
	}

	private static void addFirst(ConfigurableEnvironment environment, Map<String, Object> properties) {
		environment.getPropertySources().addFirst(new MapPropertySource("embeddedRedis", properties));
	}

	private synchronized void stop() {
		if (this.nodes != null) {
			this.nodes.close();
			this.nodes = null;
		}
		if (this.store != null) {
			this.store.close();
			this.store = null;
		}
	}

}
