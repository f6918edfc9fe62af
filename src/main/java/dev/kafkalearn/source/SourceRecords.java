package dev.kafkalearn.source;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;

/**
 * The source's JSON array as Kafka records, in groups: each group is one send to camel-kafka (a list body: one record
 * per element, keyed by the element's key field), so the producer batches and compresses many records at once instead
 * of waiting for Kafka's acknowledgement of every record before sending the next.
 * <p>
 * At most {@code inFlight} groups wait for Kafka's acknowledgement at a time: the next group is read from the source
 * only when {@link #acknowledged} freed a place. So memory holds at most inFlight x groupSize elements (the array is
 * read by a streaming parser, {@link JsonArrayElements}), while the producer always has records to send. Records keep
 * the array's order: each group is handed to the producer before the next one is read.
 * <p>
 * Pacing (the tutorial sleeps 0.1 s between two sends): while pacing is on, the first {@code pacingLimit} elements
 * come one per group, {@code pacingMs} apart; the rest of a large array comes in full groups, at full speed.
 */
public class SourceRecords {

    /** Exchange property: how many elements were read from this answer, sent or not (an AtomicLong). */
    public static final String READ = "kafkaLearnRead";
    /** Header of a record's message: the hash change detection remembers once the record is acknowledged. */
    private static final String HASH = "kafkaLearnHash";
    private static final String WINDOW = "kafkaLearnSendWindow";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final JsonArrayElements elements = new JsonArrayElements();

    /**
     * @param body        the source's answer
     * @param exchange    the fetch's exchange (for new messages, the {@link #READ} counter and the send window)
     * @param keyField    the element field used as record key (dots for nested fields: {@code address.city})
     * @param groupSize   elements per group once pacing is over
     * @param inFlight    groups that may await Kafka's acknowledgement at once
     * @param pacingMs    the pause between two paced sends; 0 = no pacing
     * @param pacingLimit how many elements are paced (one per group) before full groups
     */
    public Iterator<List<Message>> groups(InputStream body, Exchange exchange, String keyField, int groupSize,
                                          int inFlight, long pacingMs, long pacingLimit) throws IOException {
        Iterator<String> source = elements.elements(body);
        AtomicLong sent = new AtomicLong();
        AtomicLong read = new AtomicLong();
        Semaphore window = new Semaphore(Math.max(1, inFlight));
        exchange.setProperty(READ, read);
        exchange.setProperty(WINDOW, window);
        return new Groups(source, body, exchange, keyField, Math.max(1, groupSize), pacingMs,
                pacingMs > 0 ? pacingLimit : 0, sent, read, window);
    }

    /**
     * After Kafka acknowledged a group (body: its messages): the state records change detection keeps, one per
     * element it tracks (key = the element's id, value = its hash); empty when change detection is off.
     */
    public List<Message> hashes(Exchange group) {
        List<?> records = group.getMessage().getBody(List.class);
        List<Message> hashes = new ArrayList<>();
        for (Object item : records) {
            Message record = (Message) item;
            String hash = record.getHeader(HASH, String.class);
            if (hash != null) {
                Message state = new DefaultMessage(group.getContext());
                state.setHeader(KafkaConstants.KEY, record.getHeader(KafkaConstants.KEY));
                state.setBody(hash);
                hashes.add(state);
            }
        }
        return hashes;
    }

    /** Kafka acknowledged a group: the next one may be read and sent. */
    public void acknowledged(Exchange group) {
        Semaphore window = group.getProperty(WINDOW, Semaphore.class);
        if (window != null) {
            window.release();
        }
    }

    /** The key of one element (compact JSON of an object): its key field as text, or null when it has none. */
    static String keyOf(String element, String keyField) {
        try {
            if (keyField.indexOf('.') < 0) {
                try (JsonParser parser = MAPPER.createParser(element)) {
                    if (parser.nextToken() != JsonToken.START_OBJECT) {
                        return null;
                    }
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String name = parser.currentName();
                        JsonToken value = parser.nextToken();
                        if (name.equals(keyField)) {
                            return value == null ? null : text(MAPPER.readTree(parser));
                        }
                        parser.skipChildren();
                    }
                    return null;
                }
            }
            return text(MAPPER.readTree(element).at("/" + keyField.replace('.', '/')));
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }

    private static final class Groups implements Iterator<List<Message>>, Closeable {
        private final Iterator<String> source;
        private final InputStream body;
        private final Exchange exchange;
        private final String keyField;
        private final int size;
        private final long pacingMs;
        private final long singles;
        private final AtomicLong sent;
        private final AtomicLong read;
        private final Semaphore window;
        private volatile boolean closed;

        Groups(Iterator<String> source, InputStream body, Exchange exchange, String keyField, int size, long pacingMs,
               long singles, AtomicLong sent, AtomicLong read, Semaphore window) {
            this.source = source;
            this.body = body;
            this.exchange = exchange;
            this.keyField = keyField;
            this.size = size;
            this.pacingMs = pacingMs;
            this.singles = singles;
            this.sent = sent;
            this.read = read;
            this.window = window;
        }

        @Override
        public boolean hasNext() {
            return !closed && source.hasNext();
        }

        @Override
        public List<Message> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            awaitPlace();
            boolean paced = sent.get() < singles;
            if (paced && sent.get() > 0) {
                sleep(pacingMs);
            }
            int limit = paced ? 1 : size;
            List<Message> group = new ArrayList<>(limit);
            while (group.size() < limit && source.hasNext()) {
                String element = source.next();
                read.incrementAndGet();
                String key = keyOf(element, keyField);
                SourceChanges.Change change = SourceChanges.classify(exchange, key, element);
                if (!change.send()) {
                    continue;
                }
                Message message = new DefaultMessage(exchange.getContext());
                message.setBody(element);
                if (key != null) {
                    message.setHeader(KafkaConstants.KEY, key);
                }
                if (change.hash() != null) {
                    message.setHeader(HASH, change.hash());
                }
                group.add(message);
            }
            sent.addAndGet(group.size());
            return group;
        }

        private void awaitPlace() {
            try {
                while (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    if (closed) {
                        throw new IllegalStateException("the send to Kafka stopped");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Kafka", e);
            }
        }

        private static void sleep(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** The splitter closes its iterator when done or failed: the HTTP connection is released. */
        @Override
        public void close() throws IOException {
            closed = true;
            body.close();
        }
    }
}
