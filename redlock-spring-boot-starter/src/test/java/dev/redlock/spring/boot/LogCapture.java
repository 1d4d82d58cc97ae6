package dev.redlock.spring.boot;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/**
 * Records every log event at DEBUG and above as text: the starter's, Spring's, and the
 * drivers' (Lettuce, Netty), with messages, arguments and every exception in the chain.
 * Restores the levels on close. The same approach as the core's credential tests.
 */
final class LogCapture implements AutoCloseable {

	private static final List<String> LOGGERS = List.of(org.slf4j.Logger.ROOT_LOGGER_NAME, "dev.redlock",
			"org.springframework", "io.lettuce", "io.netty");

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	private final Logger root;

	private final Map<Logger, Level> previous = new HashMap<>();

	LogCapture() {
		LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
		this.root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		for (String name : LOGGERS) {
			Logger logger = context.getLogger(name);
			this.previous.put(logger, logger.getLevel());
			logger.setLevel(Level.DEBUG);
		}
		this.appender.setContext(context);
		this.appender.start();
		this.root.addAppender(this.appender);
	}

	/** Everything logged so far, one event per entry, with its exceptions' messages and stack traces. */
	List<String> events() {
		List<String> events = new ArrayList<>();
		synchronized (this.appender) {
			for (ILoggingEvent event : List.copyOf(this.appender.list)) {
				StringBuilder text = new StringBuilder(event.getLoggerName()).append(' ')
					.append(event.getLevel())
					.append(' ')
					.append(event.getFormattedMessage());
				appendThrowable(text, event.getThrowableProxy());
				events.add(text.toString());
			}
		}
		return events;
	}

	/** Whether an event at {@code level} or above from {@code logger} contains {@code text}. */
	boolean logged(String logger, Level level, String text) {
		synchronized (this.appender) {
			return List.copyOf(this.appender.list)
				.stream()
				.anyMatch((event) -> event.getLoggerName().equals(logger) && event.getLevel().isGreaterOrEqual(level)
						&& event.getFormattedMessage().contains(text));
		}
	}

	private static void appendThrowable(StringBuilder text, IThrowableProxy proxy) {
		int depth = 0;
		for (IThrowableProxy current = proxy; current != null && depth < 20; current = current.getCause(), depth++) {
			text.append("\n  ").append(current.getClassName()).append(": ").append(current.getMessage());
			for (StackTraceElementProxy frame : current.getStackTraceElementProxyArray()) {
				text.append("\n    ").append(frame.getSTEAsString());
			}
			for (IThrowableProxy suppressed : current.getSuppressed()) {
				appendThrowable(text, suppressed);
			}
		}
	}

	/** A throwable as it would be printed: messages, causes, suppressed and stack frames. */
	static String printed(Throwable throwable) {
		StringWriter out = new StringWriter();
		throwable.printStackTrace(new PrintWriter(out));
		return out.toString();
	}

	@Override
	public void close() {
		this.root.detachAppender(this.appender);
		this.appender.stop();
		this.previous.forEach(Logger::setLevel);
	}

}
