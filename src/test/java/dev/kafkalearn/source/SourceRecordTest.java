package dev.kafkalearn.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A record's key and hash are fields of its message (camel-kafka's four header lookups per record answered without
 * a header map), and still headers like any other: whoever asks for the map, copies the message or sets a header
 * sees them there, and from then on the map answers.
 */
class SourceRecordTest {

    private static final byte[] JSON = "{\"id\":7}".getBytes(StandardCharsets.UTF_8);
    private static CamelContext context;

    @BeforeAll
    static void start() {
        context = new DefaultCamelContext();
        context.start();
    }

    @AfterAll
    static void stop() {
        context.stop();
    }

    @Test
    void whatCamelKafkaAsksIsAnsweredAsFromHeaders() {
        SourceRecord record = new SourceRecord(context, JSON, "7", "hash-7");
        assertEquals("7", record.getHeader(KafkaConstants.KEY));
        assertEquals("7", record.getHeader("KAFKA.key"), "header names are case-insensitive, as in any message");
        assertEquals("7", record.getHeader(KafkaConstants.KEY, String.class));
        assertEquals(7, record.getHeader(KafkaConstants.KEY, Integer.class), "converted like any header");
        assertEquals("hash-7", record.getHeader(SourceRecord.HASH));
        assertNull(record.getHeader(KafkaConstants.OVERRIDE_TOPIC));
        assertNull(record.getHeader(KafkaConstants.PARTITION_KEY, Integer.class));
        assertNull(record.removeHeader(KafkaConstants.OVERRIDE_TIMESTAMP));
        assertArrayEquals(JSON, record.json());
        assertNull(new SourceRecord(context, JSON, null, null).getHeader(KafkaConstants.KEY), "no key: none");
    }

    @Test
    void theHeaderMapHoldsKeyAndHashOnceAnythingAsksForMore() {
        SourceRecord record = new SourceRecord(context, JSON, "7", "hash-7");
        record.setHeader("other", "x");
        assertEquals(Map.of(KafkaConstants.KEY, "7", SourceRecord.HASH, "hash-7", "other", "x"),
                Map.copyOf(record.getHeaders()));
        record.setHeader(KafkaConstants.KEY, "8");
        assertEquals("8", record.getHeader(KafkaConstants.KEY), "after the map is made, the map answers");
        assertEquals("8", record.removeHeader(KafkaConstants.KEY));
        assertNull(record.getHeader(KafkaConstants.KEY));

        Message copy = new SourceRecord(context, JSON, "7", null).copy();
        assertEquals("7", copy.getHeader(KafkaConstants.KEY), "a copy carries the key as a header");
        assertTrue(new SourceRecord(context, JSON, "7", null).hasHeaders());
        assertTrue(new SourceRecord(context, JSON, null, null).getHeaders().isEmpty());
    }
}
