package dev.kafkalearn;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPOutputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kafkalearn.support.LogCapture;
import dev.kafkalearn.support.PipelineTestSupport;
import org.apache.camel.ServiceStatus;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every kind of answer a source may give, one per poll of one running pipeline: each is sent as it should be or
 * refused with one clear line; a broken-off answer is fetched again; the pipeline keeps running; no stack trace.
 * (The table in docs/guarantees.md, "Source inputs", is this test.)
 */
class SourceInputsTest extends PipelineTestSupport {

    private static final String USERS = "[{\"id\": 1, \"name\": \"Ann\"},\n {\"id\": 2, \"name\": \"Bob\"}]";
    /** Source timeout: a stall longer than this is a failed read. */
    private static final int TIMEOUT_MS = 3000;

    @Override
    protected Map<String, String> addresses() {
        return Map.of("source.timeout-ms", String.valueOf(TIMEOUT_MS), "source.retries", "1");
    }

    /** One input: its answers in order (a retried input has two), what the poll's line says, and what is sent. */
    private record Input(String name, List<Answer> answers, String line, List<String> sent) {
    }

    @FunctionalInterface
    private interface Answer {
        void write(HttpExchange exchange) throws IOException;
    }

    @Test
    void everyKindOfAnswerIsSentOrRefusedWithOneLine() throws Exception {
        byte[] users = USERS.getBytes(StandardCharsets.UTF_8);
        byte[] invalidUtf8 = "[{\"id\": 1, \"name\": \"Ann\u00e9\"}]".getBytes(StandardCharsets.UTF_8);
        invalidUtf8[invalidUtf8.length - 4] = 'x'; // a 2-byte lead without its continuation byte
        List<String> twoUsers = List.of("1:{\"id\":1,\"name\":\"Ann\"}", "2:{\"id\":2,\"name\":\"Bob\"}");
        List<Input> inputs = List.of(
                new Input("a BOM before the array", List.of(ok("application/json", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, users))),
                        "Sent 2 records", twoUsers),
                new Input("bytes after the array", List.of(ok("application/json", concat(users, " [3] trailing".getBytes()))),
                        "Sent 2 records", twoUsers),
                new Input("an array of arrays", List.of(ok("application/json", "[[1, 2], [3]]".getBytes())),
                        "Sent 2 records", List.of("null:[1,2]", "null:[3]")),
                new Input("elements that are a string and a number", List.of(ok("application/json", "[\"a\", 4.50]".getBytes())),
                        "Sent 2 records", List.of("null:\"a\"", "null:4.50")),
                new Input("invalid UTF-8", List.of(ok("application/json", invalidUtf8)),
                        "cannot be used: the source's JSON array is malformed: Invalid UTF-8", List.of()),
                new Input("a truncated answer (fetched again)", List.of(truncated(users), ok("application/json", users)),
                        "Sent 2 records", twoUsers),
                new Input("gzip Content-Encoding", List.of(gzip(users)),
                        "Sent 2 records", twoUsers),
                new Input("a wrong Content-Type", List.of(ok("text/html", users)),
                        "Sent 2 records", twoUsers),
                new Input("an answer that stalls mid-element (fetched again)", List.of(stalled(users), ok("application/json", users)),
                        "Sent 2 records", twoUsers),
                new Input("not a JSON array", List.of(ok("application/json", "{\"id\": 1}".getBytes())),
                        "cannot be used: the source answered a JSON object, not a JSON array", List.of()));

        List<Answer> answers = inputs.stream().flatMap(i -> i.answers().stream()).toList();
        List<Integer> served = new ArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        server.setExecutor(threads);
        server.createContext("/inputs", exchange -> {
            int n;
            synchronized (served) {
                n = served.size();
                served.add(n);
            }
            try (exchange) {
                // after the last input, an empty array: the polls go on, sending nothing
                (n < answers.size() ? answers.get(n) : ok("application/json", "[]".getBytes())).write(exchange);
            } catch (IOException e) {
                // the broken answers end here on purpose
            }
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/inputs";
        try {
            startPipeline(Map.of("source.url", url, "source.poll-interval-ms", "200",
                    "source.change-detection", "off"));

            // one line per input: "Sent N records ..." or the ERROR line, in the order of the inputs
            await().atMost(120, TimeUnit.SECONDS).until(() -> outcomes(url).size() >= inputs.size());
            List<String> outcomes = outcomes(url).subList(0, inputs.size());
            List<ConsumerRecord<String, String>> records = readTopic(topic, 16);
            List<String> sent = records.stream().map(r -> r.key() + ":" + r.value()).toList();
            // a record is its element and key: the answer's HTTP headers (Content-Type, Date) are not copied onto it
            List<String> headers = records.stream().flatMap(r -> Arrays.stream(r.headers().toArray()))
                    .map(Header::key).toList();
            assertEquals(List.of(), headers, "Kafka headers on the source's records");
            int from = 0;
            for (int i = 0; i < inputs.size(); i++) {
                Input input = inputs.get(i);
                assertTrue(outcomes.get(i).contains(input.line()), input.name() + ": " + outcomes.get(i));
                assertEquals(input.sent(), sent.subList(from, from + input.sent().size()), input.name());
                from += input.sent().size();
            }
            assertEquals(16, sent.size(), "nothing else was sent: " + sent);

            // the two broken-off answers: one retry line each, naming what happened; no other warning
            // (the sink's own lines aside: it dead-letters the records that are not objects, as it should)
            // (the sink's reader logs as kafka-to-mongodb, its writer as store-batch)
            List<LogCapture.Line> source = log.lines().stream()
                    .filter(l -> !List.of("kafka-to-mongodb", "store-batch").contains(l.logger())).toList();
            List<LogCapture.Line> warnings = source.stream().filter(l -> l.level() == Level.WARN).toList();
            assertEquals(1, count(warnings, "retry 1 of 1") - count(warnings, "Read timed out"), warnings.toString());
            assertEquals(1, count(warnings, "Read timed out"), warnings.toString());
            assertEquals(1, count(warnings, "goes on after its JSON array"), warnings.toString());
            assertEquals(3, warnings.size(), "no warning but ours: " + warnings);
            assertEquals(2, source.stream().filter(l -> l.level() == Level.ERROR).count(), source.toString());
            assertTrue(log.lines().stream().noneMatch(LogCapture.Line::withStackTrace), "no stack trace: " + log.lines());
            assertEquals(ServiceStatus.Started, context.getStatus(), "the pipeline keeps running");
        } finally {
            server.stop(0);
            threads.shutdownNow();
        }
    }

    /**
     * A large array is read as it arrives, never whole: the source holds back the second half of its answer until
     * records of the first half are in Kafka (a pipeline that buffered the body would wait forever).
     */
    @Test
    void aLargeArrayIsSentWhileItIsStillArriving() throws Exception {
        int elements = 40_000; // about 20 MB
        AtomicBoolean sentWhileArriving = new AtomicBoolean();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        server.setExecutor(threads);
        server.createContext("/large", exchange -> {
            try (exchange; OutputStream out = exchange.getResponseBody()) {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, 0);
                out.write('[');
                for (int i = 1; i <= elements; i++) {
                    if (i == elements / 2) {
                        out.flush();
                        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS - 500);
                        while (System.nanoTime() < deadline && !sentWhileArriving.get()) {
                            sentWhileArriving.set(endOffset() > 0);
                            sleep(50);
                        }
                    }
                    out.write(((i > 1 ? ",\n" : "") + "{\"id\": " + i + ", \"pad\": \"" + "x".repeat(480) + "\"}")
                            .getBytes(StandardCharsets.UTF_8));
                }
                out.write(']');
            }
        });
        server.start();
        try {
            startPipeline(Map.of("source.url", "http://127.0.0.1:" + server.getAddress().getPort() + "/large",
                    "source.change-detection", "off"));
            await().atMost(180, TimeUnit.SECONDS).until(() -> !log.containing("Sent " + elements + " records").isEmpty());
            assertTrue(sentWhileArriving.get(), "records reached Kafka before the answer was complete");
            assertEquals(elements, endOffset(), "every element, once");
            assertTrue(log.lines().stream().noneMatch(l -> l.level().isMoreSpecificThan(Level.WARN)), log.lines().toString());
        } finally {
            server.stop(0);
            threads.shutdownNow();
        }
    }

    private List<String> outcomes(String url) {
        return log.lines().stream()
                .filter(l -> l.message().startsWith("Sent ") && l.message().contains(" from " + url)
                        || l.level() == Level.ERROR)
                .map(LogCapture.Line::message)
                .filter(m -> !m.startsWith("Sent 0 records"))
                .toList();
    }

    private static long count(List<LogCapture.Line> lines, String text) {
        return lines.stream().filter(l -> l.message().contains(text)).count();
    }

    private long endOffset() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, INFRA.kafka.bootstrapServers());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            return consumer.endOffsets(List.of(partition), Duration.ofSeconds(10)).getOrDefault(partition, 0L);
        } catch (RuntimeException e) {
            return 0; // the topic does not exist yet
        }
    }

    private static Answer ok(String contentType, byte[] body) {
        return exchange -> {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        };
    }

    /** The whole length announced, half of it sent, the connection closed. */
    private static Answer truncated(byte[] body) {
        return half(body, 0);
    }

    /** Half of the answer, then nothing for longer than the source's timeout. */
    private static Answer stalled(byte[] body) {
        return half(body, TIMEOUT_MS * 2L);
    }

    private static Answer half(byte[] body, long stallMs) {
        return exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            OutputStream out = exchange.getResponseBody();
            out.write(body, 0, body.length / 2);
            out.flush();
            sleep(stallMs);
            throw new IOException("broken off on purpose");
        };
    }

    private static Answer gzip(byte[] body) throws IOException {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(zipped)) {
            out.write(body);
        }
        byte[] bytes = zipped.toByteArray();
        return exchange -> {
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
            ok("application/json", bytes).write(exchange);
        };
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
