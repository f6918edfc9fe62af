package dev.kafkalearn;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.kafkalearn.infra.LocalSource.Answer;
import dev.kafkalearn.support.LogCapture;
import dev.kafkalearn.support.PipelineTestSupport;
import org.apache.camel.ServiceStatus;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.logging.log4j.Level;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A source that grows and changes: polled on an interval, read page by page, only its changes sent. */
class GrowingSourceTest extends PipelineTestSupport {

    @Override
    protected Map<String, String> addresses() {
        // the source's retry policy (a bean) reads its retries when the context is created: a failed poll is not
        // retried, the next poll runs
        return Map.of("source.retries", "0");
    }

    @Test
    void pollsSendOnlyChangesSurviveAnOutageAndDeleteWhatIsGone() throws Exception {
        String path = "/changing-" + run;
        AtomicInteger polls = new AtomicInteger();
        INFRA.source.serve(path, uri -> switch (polls.incrementAndGet()) {
            case 1 -> Answer.json(users(Map.of(1, "Ann", 2, "Bob", 3, "Cy")), Map.of());
            // a server error, retried with backoff (a 503 would be retried after its Retry-After instead: RetryAfter)
            case 2 -> new Answer(500, "text/plain", "maintenance".getBytes());
            // Bob renamed, Cy gone, Dee new
            default -> Answer.json(users(Map.of(1, "Ann", 2, "Bobby", 4, "Dee")), Map.of());
        });
        String url = INFRA.source.url(path);
        startPipeline(Map.of("source.url", url, "source.poll-interval-ms", "700", "source.deletes", "true"));

        String sent = "records from " + url + " to Kafka topic " + topic;
        await().atMost(30, TimeUnit.SECONDS).until(() -> log.containing(sent).size() >= 3);
        List<String> summaries = log.containing(sent).stream().map(LogCapture.Line::message).toList();
        assertEquals("Sent 3 " + sent + ": 3 new, 0 changed, 0 unchanged, 0 deleted", summaries.get(0));
        assertEquals("Sent 2 " + sent + ": 1 new, 1 changed, 1 unchanged, 1 deleted", summaries.get(1));
        assertEquals("Sent 0 " + sent + ": 0 new, 0 changed, 3 unchanged, 0 deleted", summaries.get(2),
                "a re-poll of an unchanged source sends nothing");

        List<LogCapture.Line> errors = log.lines().stream().filter(l -> l.level() == Level.ERROR).toList();
        assertEquals(1, errors.size(), "the failed poll is one line: " + errors);
        assertTrue(errors.get(0).message().contains("500"), errors.toString());
        assertTrue(log.lines().stream().noneMatch(LogCapture.Line::withStackTrace), log.lines().toString());
        assertEquals(ServiceStatus.Started, context.getStatus());

        // the topic: 3 users, then Bob's new version, Dee, and a tombstone for Cy; nothing for the unchanged poll
        List<ConsumerRecord<String, String>> records = readTopic(topic, 6);
        assertEquals(List.of("1", "2", "3", "2", "4", "3"), records.stream().map(ConsumerRecord::key).toList());
        assertNull(records.get(5).value(), "Cy's tombstone");
        // the pipeline's own bookkeeping (each element's hash for the state topic) stays off the records
        List<String> headers = records.stream().flatMap(r -> java.util.Arrays.stream(r.headers().toArray()))
                .map(org.apache.kafka.common.header.Header::key).toList();
        assertEquals(List.of(), headers, "record headers");

        await().atMost(30, TimeUnit.SECONDS).until(() -> names().equals(Map.of(1, "Ann", 2, "Bobby", 4, "Dee")));
        // the state topic remembers one hash per id that is still in the source (Cy forgotten by a tombstone)
        Map<String, String> state = new HashMap<>();
        readTopic(topic + ".source-state", 6).forEach(r -> state.put(r.key(), r.value()));
        state.values().removeIf(v -> v == null);
        assertEquals(java.util.Set.of("1", "2", "4"), state.keySet());
    }

    @Test
    void pageModeStopsAtAShortPage() throws Exception {
        assertPaged(25, 10, 3);
    }

    @Test
    void pageModeStopsAtAnEmptyPage() throws Exception {
        assertPaged(20, 10, 3);
    }

    @Test
    void linkModeFollowsRelNextUntilTheLastPage() throws Exception {
        String path = "/linked-" + run;
        // 3 pages of 4, each pointing to the next with a relative link (and a rel="last" to ignore)
        INFRA.source.serve(path, uri -> {
            int cursor = uri.getQuery() == null ? 0 : Integer.parseInt(uri.getQuery().replace("cursor=", ""));
            Map<String, String> headers = cursor < 8
                    ? Map.of("Link", "<" + path + "?cursor=8>; rel=\"last\", <" + path + "?cursor=" + (cursor + 4) + ">; rel=\"next\"")
                    : Map.of();
            return Answer.json(users(range(cursor + 1, cursor + 4)), headers);
        });
        startPipeline(Map.of("source.url", INFRA.source.url(path), "source.pagination", "link"));

        // the poll's line comes once every group is acknowledged, which may be after the sink stored them: wait for both
        await().atMost(30, TimeUnit.SECONDS).until(() -> collection().countDocuments() == 12
                && !log.containing("Sent 12 records").isEmpty());
        assertEquals(3, INFRA.source.requests(path));
        assertEquals(1, log.containing("Sent 12 records from " + INFRA.source.url(path) + " to Kafka topic " + topic
                + " (3 pages)").size(), log.lines().toString());
        assertEquals(IntStream.rangeClosed(1, 12).boxed().toList(),
                documents().stream().map(d -> d.get("_id")).toList());
    }

    private void assertPaged(int total, int pageSize, int requests) throws Exception {
        String path = "/paged-" + run;
        List<URI> asked = new ArrayList<>();
        INFRA.source.serve(path, uri -> {
            asked.add(uri);
            Map<String, String> query = query(uri);
            int page = Integer.parseInt(query.get("page"));
            int limit = Integer.parseInt(query.get("limit"));
            int from = (page - 1) * limit + 1;
            return Answer.json(users(range(from, Math.min(total, page * limit))), Map.of());
        });
        String url = INFRA.source.url(path) + "?sort=id";
        startPipeline(Map.of("source.url", url, "source.pagination", "page", "source.page-size", String.valueOf(pageSize)));

        await().atMost(30, TimeUnit.SECONDS).until(() -> !log.containing("Sent " + total + " records").isEmpty());
        assertEquals(1, log.containing("Sent " + total + " records from " + url + " to Kafka topic " + topic
                + " (" + requests + " pages)").size(), log.lines().toString());
        assertEquals(requests, INFRA.source.requests(path), "pages asked: " + asked);
        assertEquals("sort=id&page=1&limit=" + pageSize, asked.get(0).getQuery());
        await().atMost(30, TimeUnit.SECONDS).until(() -> collection().countDocuments() == total);
        assertEquals(IntStream.rangeClosed(1, total).boxed().toList(),
                documents().stream().map(d -> d.get("_id")).toList());
    }

    private Map<Integer, String> names() {
        Map<Integer, String> names = new HashMap<>();
        for (Document document : documents()) {
            names.put(document.getInteger("_id"), document.getString("name"));
        }
        return names;
    }

    private static Map<Integer, String> range(int from, int to) {
        Map<Integer, String> users = new java.util.TreeMap<>();
        for (int id = from; id <= to; id++) {
            users.put(id, "user " + id);
        }
        return users;
    }

    private static String users(Map<Integer, String> users) {
        return new java.util.TreeMap<>(users).entrySet().stream()
                .map(e -> "{\"id\": " + e.getKey() + ", \"name\": \"" + e.getValue() + "\"}")
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> query = new HashMap<>();
        for (String pair : uri.getQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        return query;
    }
}
