package dev.kafkalearn.source;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;

/**
 * One element as the message camel-kafka makes a record of: its JSON as the body, its key (and change detection's
 * hash) held in fields and shown as the headers {@link KafkaConstants#KEY} and {@value #HASH}.
 * <p>
 * camel-kafka asks each message of a group for four headers (its topic, partition and timestamp overrides, its key);
 * in a plain message each is a lookup in Camel's case-insensitive header map, and those lookups were about a quarter of
 * the samples of the thread that hands every record to the producer (a profile of the benchmark's HTTP → Kafka row).
 * Here the answer comes from the fields; the header map is made, with the key and hash in it, only when something
 * asks for more (a copy, a header set, every header), and from then on the map alone answers, as in any message.
 */
final class SourceRecord extends DefaultMessage {

    /** The header change detection reads once the record is acknowledged: the element's hash. */
    static final String HASH = "kafkaLearnHash";

    private final String key;
    private final String hash;

    SourceRecord(CamelContext context, byte[] json, String key, String hash) {
        super(context);
        setBody(json);
        this.key = key;
        this.hash = hash;
    }

    /** The record's value: the element's JSON (or what SOURCE_TRANSFORM made of it). */
    byte[] json() {
        return (byte[]) getBody();
    }

    String key() {
        return key;
    }

    /** The element's hash for change detection; null when it is off. */
    String hash() {
        return hash;
    }

    @Override
    public Object getHeader(String name) {
        return hasPopulatedHeaders() ? super.getHeader(name) : field(name);
    }

    @Override
    public <T> T getHeader(String name, Class<T> type) {
        if (hasPopulatedHeaders() || field(name) != null) {
            return super.getHeader(name, type);
        }
        return null;
    }

    @Override
    public Object removeHeader(String name) {
        return hasPopulatedHeaders() || field(name) != null ? super.removeHeader(name) : null;
    }

    private Object field(String name) {
        if (KafkaConstants.KEY.equalsIgnoreCase(name)) {
            return key;
        }
        return HASH.equalsIgnoreCase(name) ? hash : null;
    }

    @Override
    protected boolean isPopulateHeadersSupported() {
        return true;
    }

    @Override
    protected void populateInitialHeaders(Map<String, Object> map) {
        if (key != null) {
            map.put(KafkaConstants.KEY, key);
        }
        if (hash != null) {
            map.put(HASH, hash);
        }
    }
}
