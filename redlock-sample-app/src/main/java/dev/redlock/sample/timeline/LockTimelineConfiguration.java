package dev.redlock.sample.timeline;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/** Subscribes the page's event stream to the timeline channel that every instance publishes on. */
@Configuration(proxyBeanMethods = false)
class LockTimelineConfiguration {

	@Bean
	RedisMessageListenerContainer timelineListenerContainer(RedisConnectionFactory connectionFactory,
			LockTimelineController controller) {
		RedisMessageListenerContainer container = new RedisMessageListenerContainer();
		container.setConnectionFactory(connectionFactory);
		container.addMessageListener(controller, new ChannelTopic(LockTimelineStore.CHANNEL));
		return container;
	}

}
