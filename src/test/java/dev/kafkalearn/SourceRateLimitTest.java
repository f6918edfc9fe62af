package dev.kafkalearn;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.kafkalearn.support.LogCapture;
import dev.kafkalearn.support.PipelineTestSupport;
import dev.kafkalearn.support.RecordingServer;
import dev.kafkalearn.support.RecordingServer.Answer;
import dev.kafkalearn.support.TestInfrastructure;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A source that answers 429 or 503 is asked again only when its Retry-After says, one line each. */
class SourceRateLimitTest extends PipelineTestSupport {

    private static final String USERS;

    static {
        try {
            USERS = new String(TestInfrastructure.resource("/users.json"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void tooManyRequestsIsRetriedAfterItsRetryAfterSeconds() throws Exception {
        AtomicInteger answered = new AtomicInteger();
        try (RecordingServer source = RecordingServer.http("127.0.0.1", r -> answered.incrementAndGet() == 1
                ? Answer.status(429, Map.of("Retry-After", "2")) : Answer.json(USERS))) {
            startPipeline(Map.of("source.url", source.url("/users")));

            await().atMost(30, TimeUnit.SECONDS).until(() -> !log.containing("Sent 10 records").isEmpty());
            assertEquals(2, source.requests().size());
            assertTrue(gapMs(source, 0, 1) >= 2000, "waited the 2 s it asked for: " + gapMs(source, 0, 1) + " ms");
            List<LogCapture.Line> retries = log.containing("answered HTTP 429");
            assertEquals(1, retries.size(), log.lines().toString());
            assertTrue(retries.get(0).message().contains("retry 1 of 4 in 2 s (Retry-After)"), retries.toString());
            assertTrue(log.lines().stream().noneMatch(l -> l.level() == Level.ERROR || l.withStackTrace()),
                    log.lines().toString());
            assertEquals(10, readTopic(topic, 10).size());
        }
    }

    @Test
    void unavailableIsRetriedAfterItsRetryAfterDate() throws Exception {
        AtomicInteger answered = new AtomicInteger();
        Instant[] retryAt = new Instant[1];
        try (RecordingServer source = RecordingServer.http("127.0.0.1", r -> {
            if (answered.incrementAndGet() > 1) {
                return Answer.json(USERS);
            }
            // an HTTP date has whole seconds: 2 to 3 s from now
            retryAt[0] = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(3);
            return Answer.status(503, Map.of("Retry-After",
                    DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(retryAt[0], ZoneOffset.UTC))));
        })) {
            startPipeline(Map.of("source.url", source.url("/users")));

            await().atMost(30, TimeUnit.SECONDS).until(() -> !log.containing("Sent 10 records").isEmpty());
            assertEquals(2, source.requests().size());
            Instant retried = Instant.now().minusNanos(System.nanoTime() - source.requests().get(1).nanos());
            // the two clocks (Instant, nanoTime) read a few ms apart: allow for that, not for an early retry
            assertTrue(!retried.isBefore(retryAt[0].minusMillis(50)), "retried at " + retried + ", asked for " + retryAt[0]);
            assertEquals(1, log.containing("answered HTTP 503 Service Unavailable; retry 1 of 4 in ").size(),
                    log.lines().toString());
        }
    }

    @Test
    void aLongerWaitThanTheCapEndsThePollAndTheNextPollWaits() throws Exception {
        AtomicInteger answered = new AtomicInteger();
        try (RecordingServer source = RecordingServer.http("127.0.0.1", r -> answered.incrementAndGet() == 1
                ? Answer.status(429, Map.of("Retry-After", "3")) : Answer.json(USERS))) {
            // polled every 300 ms, but the source asked for 3 s, more than the 1 s a poll may wait
            startPipeline(Map.of("source.url", source.url("/users"), "source.poll-interval-ms", "300",
                    "source.retry-after-max-ms", "1000"));

            await().atMost(30, TimeUnit.SECONDS).until(() -> !log.containing("Sent 10 records").isEmpty());
            assertTrue(gapMs(source, 0, 1) >= 3000, "no request before the 3 s it asked for: " + gapMs(source, 0, 1));
            List<LogCapture.Line> errors = log.lines().stream().filter(l -> l.level() == Level.ERROR).toList();
            assertEquals(1, errors.size(), log.lines().toString());
            assertTrue(errors.get(0).message().contains("answered HTTP 429 and asked to wait 3 s"
                    + " (more than SOURCE_RETRY_AFTER_MAX_MS)"), errors.toString());
            assertEquals(1, log.containing("asked to wait: no poll before").size(), "one line for the skipped polls");
            assertTrue(log.containing("retry 1 of").isEmpty(), "not retried within the poll: " + log.lines());
        }
    }

    private static long gapMs(RecordingServer source, int first, int second) {
        List<RecordingServer.Request> requests = source.requests();
        return TimeUnit.NANOSECONDS.toMillis(requests.get(second).nanos() - requests.get(first).nanos());
    }
}
