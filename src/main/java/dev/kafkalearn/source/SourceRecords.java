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

import dev.kafkalearn.transform.JqTransform;
import dev.kafkalearn.transform.TimedTransform;
import net.thisptr.jackson.jq.exception.JsonQueryException;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source's JSON array as Kafka records, in groups: each group is one send to camel-kafka (a list body: one record
 * per element, keyed by the element's key field), so the producer batches and compresses many records at once instead
 * of waiting for Kafka's acknowledgement of every record before sending the next.
 * <p>
 * At most {@code inFlight} groups wait for Kafka's acknowledgement at a time: the next group is read from the source
 * only when {@link #acknowledged} freed a place. So memory holds at most inFlight x groupSize elements (the array is
 * read by a streaming parser, {@link JsonArrayElements}), while the producer always has records to send. Records keep
 * the array's order: one reader reads the groups in order, one group ahead ({@link ReadAhead}), and the split hands
 * them to the producer in that order on one thread (sourceSend); only Kafka's acknowledgements overlap.
 * <p>
 * Pacing (the tutorial sleeps 0.1 s between two sends): while pacing is on, the first {@code pacingLimit} elements
 * come one per group, {@code pacingMs} apart; the rest of a large array comes in full groups, at full speed.
 */
public class SourceRecords {

    private static final String WINDOW = "kafkaLearnSendWindow";
    private static final Logger LOG = LoggerFactory.getLogger(SourceRecords.class);

    private final JsonArrayElements elements = new JsonArrayElements();
    private String keyField;
    private int groupSize;
    private int inFlight;
    private long pacingMs;
    private long pacingLimit;
    /** SOURCE_TRANSFORM, or null (the default: no work per element). */
    private JqTransform expression;
    private long transformTimeoutMs;
    /** The expression with its time limit per element, made at the first page. */
    private TimedTransform transform;

    /** The element field used as record key (dots for nested fields: {@code address.city}). */
    public void setKeyField(String keyField) {
        this.keyField = keyField.trim();
    }

    /** Elements per group once pacing is over. */
    public void setBatchSize(int batchSize) {
        this.groupSize = Math.max(1, batchSize);
    }

    /** Groups that may await Kafka's acknowledgement at once. */
    public void setInFlight(int inFlight) {
        this.inFlight = Math.max(1, inFlight);
    }

    /** The pause between two paced sends; 0 = no pacing. */
    public void setPacingMs(long pacingMs) {
        this.pacingMs = pacingMs;
    }

    /** How many elements are paced (one per group) before full groups. */
    public void setPacingLimit(long pacingLimit) {
        this.pacingLimit = pacingLimit;
    }

    /** SOURCE_TRANSFORM: a jq expression each element passes before it is sent; empty = none. */
    public void setTransform(String expression) throws JsonQueryException {
        this.expression = JqTransform.compile("SOURCE_TRANSFORM", expression);
    }

    /** SOURCE_TRANSFORM_TIMEOUT_MS: an element the expression has not finished with by then is left out. */
    public void setTransformTimeoutMs(long ms) {
        this.transformTimeoutMs = ms;
    }

    private synchronized TimedTransform transform() {
        if (transform == null && expression != null) {
            transform = new TimedTransform(expression, transformTimeoutMs);
        }
        return transform;
    }

    /** The page's answer (body) as groups of messages, read as the groups are sent. */
    public Iterator<List<Message>> groups(InputStream body, Exchange page) {
        SourceChanges.pageAttempt(page);
        Iterator<SourceElement> source = elements.elements(body, keyField);
        Semaphore window = new Semaphore(inFlight);
        page.setProperty(WINDOW, window);
        // read one group ahead, on a thread of its own, while the split's thread hands the current one to the producer
        return new ReadAhead<>(new Groups(source, body, page, groupSize, pacingMs, pacingMs > 0 ? pacingLimit : 0, window,
                inFlight, transform()), page.getContext().getExecutorServiceManager().resolveThreadName("SourceReadAhead"));
    }

    /**
     * After Kafka acknowledged a group (body: its messages): the state records change detection keeps, one per
     * element it tracks (key = the element's id, value = its hash); empty when change detection is off.
     */
    public List<Message> hashes(Exchange group) {
        List<?> records = group.getMessage().getBody(List.class);
        if (records instanceof Group read && !read.hashed) {
            // change detection off (the default): no record carries a hash
            return List.of();
        }
        List<Message> hashes = new ArrayList<>();
        for (Object item : records) {
            SourceRecord record = (SourceRecord) item;
            if (record.hash() != null) {
                Message state = new DefaultMessage(group.getContext());
                state.setHeader(KafkaConstants.KEY, record.key());
                state.setBody(record.hash());
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

    /** One group's messages, and whether any of them carries a hash for change detection. */
    private static final class Group extends ArrayList<Message> {
        private boolean hashed;

        Group(int capacity) {
            super(capacity);
        }
    }

    private static final class Groups implements Iterator<List<Message>>, Closeable {
        private final Iterator<SourceElement> source;
        private final InputStream body;
        private final Exchange exchange;
        private final int size;
        private final long pacingMs;
        private final long singles;
        private final Semaphore window;
        private final int inFlight;
        private final TimedTransform transform;
        private long sent;
        private volatile boolean closed;

        Groups(Iterator<SourceElement> source, InputStream body, Exchange exchange, int size, long pacingMs,
               long singles, Semaphore window, int inFlight, TimedTransform transform) {
            this.source = source;
            this.body = body;
            this.exchange = exchange;
            this.size = size;
            this.pacingMs = pacingMs;
            this.singles = singles;
            this.window = window;
            this.inFlight = inFlight;
            this.transform = transform;
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
            boolean paced = sent < singles;
            if (paced) {
                // one at a time: every earlier element acknowledged first, so that SOURCE_PACING_MS separates records
                // as they reach Kafka, not only as they are handed to the producer
                awaitPlace(inFlight);
                window.release(inFlight - 1);
            } else {
                awaitPlace(1);
            }
            if (paced && sent > 0) {
                sleep(pacingMs);
            }
            int limit = paced ? 1 : size;
            Group group = new Group(limit);
            while (group.size() < limit && source.hasNext()) {
                // as many elements as the group has room for (change detection leaves out the unchanged ones), then
                // SOURCE_TRANSFORM over them at once; a round again when it dropped some
                List<SourceRecord> records = new ArrayList<>(limit - group.size());
                SourceChanges.Poll poll = SourceChanges.state(exchange);
                int read = 0;
                while (records.size() < limit - group.size() && source.hasNext()) {
                    SourceElement element = source.next();
                    read++;
                    SourceChanges.Change change = SourceChanges.classify(poll, element.key(), element.json());
                    if (change.send()) {
                        records.add(new SourceRecord(exchange.getContext(), element.json(), element.key(), change.hash()));
                    }
                }
                SourcePages.elementsRead(exchange, read);
                for (SourceRecord record : transform == null ? records : transformed(records)) {
                    group.hashed |= record.hash() != null;
                    group.add(record);
                }
            }
            sent += group.size();
            return group;
        }

        /**
         * The records as SOURCE_TRANSFORM made them: each one's JSON replaced by the expression's result; those it
         * turned into null, or failed on (one WARN line each), left out and counted as dropped.
         */
        private List<SourceRecord> transformed(List<SourceRecord> records) {
            List<byte[]> jsons = new ArrayList<>(records.size());
            for (SourceRecord record : records) {
                jsons.add(record.json());
            }
            Object[] results = transform.applyAll(jsons);
            List<SourceRecord> kept = new ArrayList<>(records.size());
            for (int i = 0; i < records.size(); i++) {
                SourceRecord record = records.get(i);
                if (results[i] instanceof JqTransform.Failed failed) {
                    LOG.warn("Skipped element {} of the source: {}",
                            record.key() == null ? "without key" : record.key(), failed.getMessage());
                } else if (results[i] != null) {
                    record.setBody(results[i]);
                    kept.add(record);
                    continue;
                }
                SourceChanges.dropped(exchange);
            }
            return kept;
        }

        private void awaitPlace(int permits) {
            try {
                while (!window.tryAcquire(permits, 100, TimeUnit.MILLISECONDS)) {
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
