package dev.kafkalearn.support;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * Records what one test's pipeline logs (level, logger, message, the stack trace's text if one came with it): only the
 * lines of its own CamelContext's threads, of the threads that started it, and of client threads named after its
 * run (a Kafka consumer's heartbeat thread carries its group), so a context another test left running, or a command
 * started beside the pipeline, does not write into this test's lines.
 */
public final class LogCapture implements AutoCloseable {

    public record Line(Level level, String logger, String message, String thrown) {
        /** A stack trace came with the line: frames a user would see (an exception without frames prints one line). */
        public boolean withStackTrace() {
            return thrown != null && thrown.contains("\tat ");
        }

        @Override
        public String toString() {
            return level + " " + logger + " " + message + (withStackTrace() ? " [+stack trace]" : "");
        }
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final AbstractAppender appender;

    private LogCapture(Predicate<LogEvent> scope) {
        appender = new AbstractAppender("capture-" + UUID.randomUUID(), null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                if (scope.test(event)) {
                    lines.add(new Line(event.getLevel(), event.getLoggerName(), event.getMessage().getFormattedMessage(),
                            event.getThrown() == null ? null : stackTrace(event.getThrown())));
                }
            }
        };
        appender.start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().addAppender(appender, Level.ALL, null);
        context.updateLoggers();
    }

    /**
     * The lines of the CamelContext named contextName (its threads are "Camel (contextName) thread #N - ..."), of the
     * threads that start it (start-up lines), and of client threads outside Camel (a Kafka consumer's heartbeat thread,
     * a producer's network thread) whose name or message carries one of the markers (e.g. the test's group or topic).
     */
    public static LogCapture of(String contextName, Thread[] starters, String... markers) {
        String ownThreads = "Camel (" + contextName + ") ";
        return new LogCapture(event -> {
            String thread = event.getThreadName() == null ? "" : event.getThreadName();
            if (thread.startsWith(ownThreads) || Arrays.stream(starters).anyMatch(t -> t.getId() == event.getThreadId())) {
                return true;
            }
            String message = event.getMessage().getFormattedMessage();
            return !thread.startsWith("Camel (")
                   && Arrays.stream(markers).anyMatch(m -> thread.contains(m) || message.contains(m));
        });
    }

    /** Every line of every logger and thread of this JVM: for checks that nothing anywhere shows a secret. */
    public static LogCapture everything() {
        return new LogCapture(event -> true);
    }

    private static String stackTrace(Throwable thrown) {
        java.io.StringWriter text = new java.io.StringWriter();
        thrown.printStackTrace(new java.io.PrintWriter(text));
        return text.toString();
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
