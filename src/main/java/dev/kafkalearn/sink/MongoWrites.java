package dev.kafkalearn.sink;

import dev.kafkalearn.settings.Secrets;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.util.ObjectHelper;
import org.bson.BsonInvalidOperationException;
import org.bson.Document;
import org.bson.json.JsonParseException;

/**
 * Turns one batch of Kafka records into idempotent MongoDB writes.
 * <p>
 * Each record becomes a replace-or-insert of the document whose {@code _id} is, in this order: the record's own
 * {@code _id}, its key field (setting {@code source.key-field}, default {@code id}), or
 * {@code topic-partition-offset}. Writing the same record twice therefore leaves one document. Records that are not a
 * JSON object are not written: they are listed, with the reason, for the dead-letter topic.
 */
public class MongoWrites {

    /** Header: the records of this batch that go to the dead-letter topic, as maps (see {@link #rejected}). */
    public static final String REJECTED = "kafkaLearnRejected";
    /** Header: a short, readable list of the stored ids. */
    public static final String STORED_IDS = "kafkaLearnStoredIds";
    /** Header: how many documents this batch writes. */
    public static final String STORED_COUNT = "kafkaLearnStoredCount";

    /** Exchange property: the records (Messages) this batch writes, in write order. */
    static final String WRITTEN = "kafkaLearnWritten";
    private static final String WRITTEN_IDS = "kafkaLearnWrittenIds";
    private static final int IDS_SHOWN = 10;
    private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);

    private final String keyField;

    public MongoWrites(String keyField) {
        this.keyField = keyField;
    }

    /** Body in: the batch ({@code List<Exchange>} from camel-kafka). Body out: the writes for a bulkWrite. */
    public void prepare(Exchange batch) {
        List<?> records = batch.getMessage().getBody(List.class);
        List<WriteModel<Document>> writes = new ArrayList<>(records.size());
        List<Object> ids = new ArrayList<>(records.size());
        List<Message> written = new ArrayList<>(records.size());
        List<Map<String, Object>> rejected = new ArrayList<>();
        List<Object> deleted = new ArrayList<>();
        for (Object item : records) {
            Message record = ((Exchange) item).getMessage();
            String value = record.getBody(String.class);
            Object key = record.getHeader(KafkaConstants.KEY);
            if (value == null && key != null) {
                // a tombstone (the source's change detection saw the id disappear): delete its document
                writes.add(new DeleteOneModel<>(Filters.in("_id", idsSpelledBy(key.toString()))));
                ids.add(key);
                written.add(record);
                deleted.add(key);
                continue;
            }
            try {
                Document document = parse(value);
                Object id = idOf(document, record.getHeader(KafkaConstants.TOPIC),
                        record.getHeader(KafkaConstants.PARTITION), record.getHeader(KafkaConstants.OFFSET));
                document.put("_id", id);
                writes.add(new ReplaceOneModel<>(Filters.eq("_id", id), document, UPSERT));
                ids.add(id);
                written.add(record);
            } catch (RejectedRecord e) {
                rejected.add(rejected(record, value, e.getMessage()));
            }
        }
        batch.getMessage().setBody(writes);
        batch.getMessage().setHeader(STORED_COUNT, writes.size() - deleted.size());
        List<Object> upserted = new ArrayList<>(ids);
        deleted.forEach(upserted::remove);
        batch.getMessage().setHeader(STORED_IDS, (upserted.isEmpty() && !deleted.isEmpty() ? "(none)" : summarize(upserted))
                + (deleted.isEmpty() ? "" : "; deleted " + deleted.size() + ", _id: " + summarize(deleted)));
        batch.getMessage().setHeader(REJECTED, rejected);
        batch.setProperty(WRITTEN, written);
        batch.setProperty(WRITTEN_IDS, ids);
    }

    /**
     * After an unordered bulk write failed for some documents only: the others are stored, the failed ones join the
     * dead-letter list with MongoDB's reason. A failure that is not per document (e.g. a write concern error) is not
     * the records' fault and is thrown again, so the batch is retried.
     */
    @SuppressWarnings("unchecked")
    public void rejectFailedWrites(Exchange batch) throws Exception {
        Exception caught = batch.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        // camel-mongodb wraps the driver's exception in a CamelMongoDbException
        MongoBulkWriteException failure = ObjectHelper.getException(MongoBulkWriteException.class, caught);
        if (failure == null || failure.getWriteConcernError() != null || failure.getWriteErrors().isEmpty()) {
            throw caught;
        }
        List<Message> written = batch.getProperty(WRITTEN, List.class);
        List<Object> ids = batch.getProperty(WRITTEN_IDS, List.class);
        List<Map<String, Object>> rejected = batch.getMessage().getHeader(REJECTED, List.class);
        List<Object> storedIds = new ArrayList<>(ids);
        for (BulkWriteError error : failure.getWriteErrors()) {
            Object id = ids.get(error.getIndex());
            storedIds.remove(id);
            Message record = written.get(error.getIndex());
            rejected.add(rejected(record, record.getBody(String.class),
                    "MongoDB refused the document (code " + error.getCode() + "): " + error.getMessage()));
        }
        batch.getMessage().setHeader(STORED_COUNT, storedIds.size());
        batch.getMessage().setHeader(STORED_IDS, summarize(storedIds));
    }

    /**
     * The _id values a tombstone's key may stand for: the key itself and, when it spells a number, that number (a key
     * is text, but the document's _id is the element's id as it was in the JSON, e.g. 7 rather than "7").
     */
    public static List<Object> idsSpelledBy(String key) {
        List<Object> ids = new ArrayList<>(List.of(key));
        try {
            long number = Long.parseLong(key.trim());
            ids.add(number);
            if (number == (int) number) {
                ids.add((int) number);
            }
        } catch (NumberFormatException notANumber) {
            // text only
        }
        return ids;
    }

    private static Document parse(String value) throws RejectedRecord {
        if (value == null || value.isBlank()) {
            throw new RejectedRecord("empty record: expected a JSON object");
        }
        Document document;
        try {
            document = Document.parse(value);
        } catch (JsonParseException e) {
            throw new RejectedRecord("not valid JSON: " + Secrets.firstLine(e.getMessage()));
        } catch (BsonInvalidOperationException e) {
            throw new RejectedRecord("JSON, but not an object: " + Secrets.firstLine(e.getMessage()));
        } catch (RuntimeException e) {
            throw new RejectedRecord("not a JSON object: " + Secrets.firstLine(e.getMessage()));
        }
        // the driver refuses such a replacement for the whole batch, before MongoDB sees it: refuse this record alone
        for (String field : document.keySet()) {
            if (field.startsWith("$")) {
                throw new RejectedRecord("a top-level field name starts with '$' (" + field
                        + "), which MongoDB reads as an operator: not storable as a document");
            }
        }
        return document;
    }

    /** The {@code _id} a record is stored under, or null when it goes to the dead-letter topic instead. */
    public Object documentId(String value, String topic, Object partition, Object offset) {
        try {
            return idOf(parse(value), topic, partition, offset);
        } catch (RejectedRecord e) {
            return null;
        }
    }

    private Object idOf(Document document, Object topic, Object partition, Object offset) {
        Object id = document.get("_id");
        if (id == null) {
            id = document.get(keyField);
        }
        if (id == null || id instanceof Document || id instanceof List) {
            id = topic + "-" + partition + "-" + offset;
        }
        return id;
    }

    private static Map<String, Object> rejected(Message record, String value, String reason) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("value", value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8));
        entry.put("key", record.getHeader(KafkaConstants.KEY));
        entry.put("reason", reason);
        entry.put("topic", record.getHeader(KafkaConstants.TOPIC));
        // as text: Kafka record headers are bytes, and "3" reads better in kcat than a 4-byte int
        entry.put("partition", String.valueOf(record.getHeader(KafkaConstants.PARTITION)));
        entry.put("offset", String.valueOf(record.getHeader(KafkaConstants.OFFSET)));
        entry.put("failedAt", Instant.now().toString());
        return entry;
    }

    private static String summarize(List<Object> ids) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(ids.size(), IDS_SHOWN); i++) {
            text.append(i == 0 ? "" : ", ").append(ids.get(i));
        }
        if (ids.size() > IDS_SHOWN) {
            text.append(" … and ").append(ids.size() - IDS_SHOWN).append(" more");
        }
        return text.toString();
    }

    private static final class RejectedRecord extends Exception {
        RejectedRecord(String reason) {
            super(reason, null, false, false);
        }
    }
}
