package dev.redlock.sample.timeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /timeline/events}: server-sent events for the page at {@code /}, first the
 * {@code history}, then each {@code batch} that any instance publishes. One subscription to
 * Redis per instance, however many pages are open.
 */
@RestController
class LockTimelineController implements MessageListener {

	private final LockTimelineStore store;

	private final Set<SseEmitter> pages = new CopyOnWriteArraySet<>();

	LockTimelineController(LockTimelineStore store) {
		this.store = store;
	}

	@GetMapping(path = "/timeline/events", produces = "text/event-stream")
	SseEmitter events() throws IOException {
		SseEmitter page = new SseEmitter(0L);
		page.onCompletion(() -> this.pages.remove(page));
		page.onTimeout(() -> this.pages.remove(page));
		page.onError((ex) -> this.pages.remove(page));
		page.send(SseEmitter.event().name("history").data(this.store.history()));
		this.pages.add(page);
		return page;
	}

	/** Ends the open streams first, so that a graceful shutdown does not wait for them. */
	@EventListener(ContextClosedEvent.class)
	void closePages() {
		this.pages.forEach(SseEmitter::complete);
		this.pages.clear();
	}

	@Override
	public void onMessage(Message message, byte[] pattern) {
		String batch = new String(message.getBody(), StandardCharsets.UTF_8);
		for (SseEmitter page : this.pages) {
			try {
				page.send(SseEmitter.event().name("batch").data(batch));
			}
			catch (IOException | IllegalStateException ex) {
				this.pages.remove(page);
			}
		}
	}

}
