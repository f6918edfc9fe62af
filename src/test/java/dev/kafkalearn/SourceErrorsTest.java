package dev.kafkalearn;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

import dev.kafkalearn.support.LogCapture;
import dev.kafkalearn.support.PipelineTestSupport;
import dev.kafkalearn.support.TestInfrastructure;
import org.apache.camel.ServiceStatus;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a user meets first when the source is wrong: one clear line, no stack trace, nothing sent, no crash. */
class SourceErrorsTest extends PipelineTestSupport {

    @Override
    protected Map<String, String> addresses() {
        // the HTTP component reads its timeouts, and the source's retry policy (a bean) its retries, when the context
        // is created
        return Map.of("source.timeout-ms", "1000", "source.retries", "1");
    }

    @Test
    void nonJsonAnswer() throws Exception {
        assertOneClearError(INFRA.source.url("/html"), "did not answer with JSON");
    }

    @Test
    void jsonThatIsNotAnArray() throws Exception {
        assertOneClearError(INFRA.source.url("/object"), "answered a JSON object, not a JSON array");
    }

    @Test
    void notFound() throws Exception {
        assertOneClearError(INFRA.source.url("/no-such-path"), "answered HTTP 404");
    }

    @Test
    void serverErrorIsRetriedThenGivenUp() throws Exception {
        assertOneClearError(INFRA.source.url("/error500"), "could not be read");
        assertEquals(1, log.containing("retry 1 of 1").size(),
                "the 5xx answer was tried, then retried once (source.retries=1), then given up: " + log.lines());
    }

    @Test
    void aTokenInTheSourceUrlIsNeverLogged() throws Exception {
        startPipeline(Map.of("source.url", INFRA.source.url("/error500?token=s3cr3t&page=1")));

        await().atMost(30, TimeUnit.SECONDS).until(() -> log.lines().stream()
                .anyMatch(l -> l.level() == Level.ERROR && l.message().contains("could not be read: ")));
        assertTrue(log.lines().stream().noneMatch(l -> l.message().contains("s3cr3t")), log.lines().toString());
        assertEquals(1, log.containing("token=****&page=1 could not be read: ").size(), log.lines().toString());
        assertEquals(1, log.containing("retry 1 of 1").size(), log.lines().toString());
    }

    @Test
    void unreachableSourceIsRetriedThenGivenUp() throws Exception {
        int closedPort = TestInfrastructure.freePort();
        assertOneClearError("http://127.0.0.1:" + closedPort + "/users", "could not be read");
    }

    @Test
    void stalledSourceTimesOutAndIsRetried() throws Exception {
        // the first answer stalls for longer than source.timeout-ms; the retry gets the users at once
        byte[] users = TestInfrastructure.resource("/users.json");
        AtomicInteger requests = new AtomicInteger();
        HttpServer stalling = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stalling.createContext("/users", exchange -> {
            try (exchange) {
                if (requests.incrementAndGet() == 1) {
                    sleep(5_000);
                }
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, users.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(users);
                }
            }
        });
        ExecutorService threads = Executors.newFixedThreadPool(2);
        stalling.setExecutor(threads);
        stalling.start();
        try {
            startPipeline(Map.of("source.url", "http://127.0.0.1:" + stalling.getAddress().getPort() + "/users"));

            await().atMost(30, TimeUnit.SECONDS).until(() -> !log.containing("Sent 10 records").isEmpty());
            assertEquals(2, requests.get(), "one stalled request, one retry");
            assertEquals(1, log.containing("timed out").size(), "the stall is one retry line: " + log.lines());
            assertTrue(log.lines().stream().noneMatch(l -> l.level() == Level.ERROR), log.lines().toString());
            assertEquals(10, readTopic(topic, 10).size());
        } finally {
            stalling.stop(0);
            threads.shutdownNow();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void emptyArraySendsNothing() throws Exception {
        startPipeline(Map.of("source.url", INFRA.source.url("/empty")));
        await().atMost(20, TimeUnit.SECONDS).until(() -> !log.containing("Sent 0 records").isEmpty());
        assertTrue(log.lines().stream().noneMatch(l -> l.level().isMoreSpecificThan(Level.WARN)), log.lines().toString());
    }

    private void assertOneClearError(String url, String expected) throws Exception {
        startPipeline(Map.of("source.url", url));

        // the ERROR line, not a retry's WARN line that may say the same
        await().atMost(30, TimeUnit.SECONDS).until(() -> log.lines().stream()
                .anyMatch(l -> l.level() == Level.ERROR && l.message().contains(expected)));
        List<LogCapture.Line> errors = log.lines().stream().filter(l -> l.level() == Level.ERROR).toList();
        assertEquals(1, errors.size(), "exactly one error line: " + errors);
        assertTrue(errors.get(0).message().contains(url), "the line names the source: " + errors.get(0));
        assertTrue(log.lines().stream().noneMatch(LogCapture.Line::withStackTrace), "no stack trace: " + log.lines());
        assertEquals(ServiceStatus.Started, context.getStatus(), "the pipeline keeps running");
        assertEquals(0, offsets().records(topic), "nothing was sent: the topic's end offsets are 0 (or it does not exist)");
    }
}
