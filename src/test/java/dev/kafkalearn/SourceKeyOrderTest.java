package dev.kafkalearn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.kafkalearn.infra.LocalSource.Answer;
import dev.kafkalearn.support.PipelineTestSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two versions of one id inside one array reach Kafka in the array's order, although the groups they fall into are
 * sent while earlier groups still await Kafka's acknowledgement (SOURCE_IN_FLIGHT): per-key order, the promise the
 * record key exists for (docs/guarantees.md, "The source: per-key order").
 */
class SourceKeyOrderTest extends PipelineTestSupport {

    /** Elements per group (SOURCE_BATCH_SIZE): small, for many groups, so many chances for one to overtake another. */
    private static final int GROUP = 20;
    /** Pairs of groups: the first holds ids at version 1, the second the same ids, reversed, at version 2. */
    private static final int PAIRS = 1000;
    private static final Pattern VERSION = Pattern.compile("\"version\":(\\d+)");

    @Test
    void versionsOfOneKeyArriveInTheArraysOrder() throws Exception {
        String path = "/versions-" + run;
        INFRA.source.serve(path, uri -> Answer.json(array(), Map.of()));
        String url = INFRA.source.url(path);
        int ids = GROUP * PAIRS;
        startPipeline(Map.of("source.url", url, "source.batch-size", String.valueOf(GROUP)));

        await().atMost(60, TimeUnit.SECONDS)
                .until(() -> !log.containing("records from " + url + " to Kafka topic " + topic).isEmpty());
        List<ConsumerRecord<String, String>> records = readTopic(topic, 2 * ids);
        assertEquals(2 * ids, records.size(), "every element once, none twice");

        Map<String, List<Integer>> versions = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            versions.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(version(record.value()));
        }
        assertEquals(ids, versions.size());
        List<String> overtaken = versions.entrySet().stream().filter(e -> !e.getValue().equals(List.of(1, 2)))
                .map(e -> e.getKey() + "=" + e.getValue()).toList();
        assertTrue(overtaken.isEmpty(), overtaken.size() + " of " + ids + " keys out of the array's order, e.g. "
                + overtaken.subList(0, Math.min(10, overtaken.size())));

        // what that order is for: every document ends at the version the array gives last
        awaitSinkCaughtUp();
        List<Document> documents = documents();
        assertEquals(ids, documents.size());
        assertTrue(documents.stream().allMatch(d -> d.getInteger("version") == 2),
                "a document kept an earlier version");
    }

    /**
     * Group 2p: ids 1..GROUP of pair p at version 1; group 2p+1: the same ids in reverse at version 2. The last record
     * of one group and the first of the next share a key, so a group that overtakes its predecessor even by one send
     * puts a version 2 before its version 1.
     */
    private static String array() {
        StringBuilder json = new StringBuilder("[");
        for (int pair = 0; pair < PAIRS; pair++) {
            int first = pair * GROUP + 1;
            for (int id = first; id < first + GROUP; id++) {
                element(json, id, 1);
            }
            for (int id = first + GROUP - 1; id >= first; id--) {
                element(json, id, 2);
            }
        }
        json.setCharAt(json.length() - 1, ']');
        return json.toString();
    }

    private static void element(StringBuilder json, int id, int version) {
        json.append("{\"id\":").append(id).append(",\"name\":\"user ").append(id).append("\",\"version\":")
                .append(version).append("},");
    }

    private static int version(String value) {
        Matcher matcher = VERSION.matcher(value);
        assertTrue(matcher.find(), value);
        return Integer.parseInt(matcher.group(1));
    }
}
