package dev.kafkalearn.support;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** Records what the pipeline logs (level, logger, message, and whether a stack trace came with it). */
public final class LogCapture implements AutoCloseable {

    public record Line(Level level, String logger, String message, boolean withStackTrace) {
        @Override
        public String toString() {
            return level + " " + logger + " " + message + (withStackTrace ? " [+stack trace]" : "");
        }
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final AbstractAppender appender;

    public LogCapture() {
        appender = new AbstractAppender("capture-" + UUID.randomUUID(), null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                lines.add(new Line(event.getLevel(), event.getLoggerName(), event.getMessage().getFormattedMessage(),
                        event.getThrown() != null));
            }
        };
        appender.start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().addAppender(appender, Level.ALL, null);
        context.updateLoggers();
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }

    public List<Line> containing(String text) {
        return lines.stream().filter(l -> l.message().contains(text)).toList();
    }

    /** Nothing at ERROR level and no stack trace: what a user sees when a dependency is down for a while. */
    public void assertNoErrorsNorStackTraces() {
        org.junit.jupiter.api.Assertions.assertTrue(
                lines.stream().noneMatch(l -> l.withStackTrace() || l.level() == Level.ERROR), lines.toString());
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().removeAppender(appender.getName());
        context.updateLoggers();
        appender.stop();
    }
}
