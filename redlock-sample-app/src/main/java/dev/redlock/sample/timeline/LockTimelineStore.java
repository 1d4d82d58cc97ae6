package dev.redlock.sample.timeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Shares the timeline between the instances through the app's Redis store: every 200 ms, the
 * events of this instance are appended, as one batch, to a capped list (the history a page
 * gets when it opens) and published on a channel (what open pages get live). Locked calls
 * only queue their events: they never wait for Redis.
 */
@Component
class LockTimelineStore {

	static final String HISTORY = "sample:timeline:history";

	static final String CHANNEL = "sample:timeline";

	/** How many events the history keeps. */
	static final int HISTORY_SIZE = 4000;

	private final Queue<LockTimelineEvent> pending = new ConcurrentLinkedQueue<>();

	private final StringRedisTemplate redis;

	LockTimelineStore(StringRedisTemplate redis) {
		this.redis = redis;
	}

	void add(LockTimelineEvent event) {
		this.pending.add(event);
	}

	@Scheduled(fixedDelay = 200)
	void flush() {
		List<String> batch = new ArrayList<>();
		for (LockTimelineEvent event = this.pending.poll(); event != null; event = this.pending.poll()) {
			batch.add(event.toJson());
		}
		if (batch.isEmpty()) {
			return;
		}
		this.redis.opsForList().rightPushAll(HISTORY, batch);
		this.redis.opsForList().trim(HISTORY, -HISTORY_SIZE, -1);
		this.redis.convertAndSend(CHANNEL, "[" + String.join(",", batch) + "]");
	}

	/** The history, oldest first, as one JSON array. */
	String history() {
		List<String> events = this.redis.opsForList().range(HISTORY, 0, -1);
		return "[" + String.join(",", (events != null) ? events : List.of()) + "]";
	}

}
