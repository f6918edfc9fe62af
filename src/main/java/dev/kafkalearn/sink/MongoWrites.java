package dev.kafkalearn.sink;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.WriteModel;
import dev.kafkalearn.transform.JqTransform;
import dev.kafkalearn.transform.TimedTransform;
import org.apache.camel.Exchange;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;

/**
 * Turns one batch of Kafka records into idempotent MongoDB writes, each record parsed once, straight to BSON
 * ({@link JsonToBson}).
 * <p>
 * Each record is written to the document whose {@code _id} is, in this order: the record's own {@code _id}, its key
 * field (setting {@code source.key-field}, default {@code id}), or {@code topic-partition-offset}; how, MONGO_WRITE_MODEL
 * says ({@link Model}). Writing the same record twice therefore leaves one document. Records that are not a storable
 * JSON object are not written: they are listed, with the reason, for the dead-letter topic. A tombstone deletes its
 * document in every model.
 */
public class MongoWrites {

    /** Header: the records of this batch that go to the dead-letter topic, as maps (see {@link #rejected}). */
    public static final String REJECTED = "kafkaLearnRejected";
    /** Header: a short, readable list of the stored ids. */
    public static final String STORED_IDS = "kafkaLearnStoredIds";
    /** Header: how many documents this batch wrote. */
    public static final String STORED_COUNT = "kafkaLearnStoredCount";
    /** Header: how many records of this batch were not inserted because their _id was stored already (insert model). */
    public static final String ALREADY_PRESENT = "kafkaLearnAlreadyPresent";
    /** Header: how many records of this batch SINK_TRANSFORM dropped (turned into null). */
    public static final String DROPPED = "kafkaLearnDropped";

    /** Exchange property: the records ({@link PolledRecord}s) this batch stored, in write order. */
    static final String WRITTEN = "kafkaLearnWritten";
    private static final int IDS_SHOWN = 10;
    private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);
    private static final UpdateOptions UPDATE_UPSERT = new UpdateOptions().upsert(true);

    /**
     * MONGO_WRITE_MODEL: replace (the whole document, upserted: the last record wins, fields others wrote are gone),
     * merge ({@code $set} of the record's top-level fields, upserted: fields others wrote stay), insert (a document
     * whose _id exists is left as it is, and counted).
     */
    enum Model {
        REPLACE, MERGE, INSERT
    }

    /** One record's write: the model the bulk write sends, the record it came from, its document's _id. */
    record Write(PolledRecord record, WriteModel<RawBsonDocument> model, Object id, boolean delete) {
        /** An insert-only write (MONGO_WRITE_MODEL=insert): a duplicate _id means "already stored", not a failure. */
        boolean insertOnly() {
            return model instanceof InsertOneModel;
        }
    }

    private final JsonToBson json;
    /** Read when the first batch arrives (the context's settings by then, a test's included), then kept. */
    private volatile Model model;
    /** SINK_TRANSFORM and SINK_SCHEMA, read with the model; both null by default (no work per record then). */
    private volatile Checks checks;

    /** What each record passes before it is encoded: the transform (or null), then the schema (or null). */
    private record Checks(TimedTransform transform, SchemaCheck schema) {
    }

    /** Counts what SINK_TRANSFORM dropped; null: not counted (the commands). */
    private final SinkMetrics metrics;

    public MongoWrites(String keyField) {
        this(keyField, null);
    }

    public MongoWrites(String keyField, SinkMetrics metrics) {
        this.json = new JsonToBson(keyField);
        this.metrics = metrics;
    }

    /**
     * The batch ({@code List<Exchange>} from camel-kafka) in exchange property {@code records}. Body out: its
     * {@link Write}s; headers: the rejected records, how many were dropped (also counted: kafkalearn.records.dropped).
     */
    public void prepare(Exchange batch) {
        Model model = model(batch);
        Checks checks = checks(batch);
        int dropped = 0;
        List<PolledRecord> records = PolledRecord.of(batch);
        List<Write> writes = new ArrayList<>(records.size());
        List<Map<String, Object>> rejected = new ArrayList<>();
        // SINK_TRANSFORM over the whole batch at once, each record within SINK_TRANSFORM_TIMEOUT_MS
        Object[] transformed = checks.transform() == null ? null : checks.transform().applyAll(values(records));
        for (int i = 0; i < records.size(); i++) {
            PolledRecord record = records.get(i);
            byte[] value = record.message().getBody(byte[].class);
            Object key = record.key();
            if (value == null && key != null) {
                // a tombstone (the source's change detection saw the id disappear): delete its document
                String text = keyText(key);
                writes.add(new Write(record, new DeleteOneModel<>(Filters.in("_id", idsSpelledBy(text))), text, true));
                continue;
            }
            try {
                if (transformed != null) {
                    value = transformed(transformed[i]);
                    if (value == null) {
                        dropped++;
                        continue;
                    }
                }
                if (checks.schema() != null) {
                    checks.schema().check(value);
                }
                JsonToBson.Encoded encoded = json.encode(value, record::position);
                writes.add(new Write(record, model(model, encoded.id(), encoded.document()),
                        JsonToBson.javaValue(encoded.id()), false));
            } catch (RejectedRecord e) {
                rejected.add(rejected(record, e.getMessage()));
            }
        }
        batch.getMessage().setBody(writes);
        batch.getMessage().setHeader(REJECTED, rejected);
        batch.getMessage().setHeader(DROPPED, dropped);
        if (dropped > 0 && metrics != null) {
            metrics.dropped(batch, dropped);
        }
    }

    private static WriteModel<RawBsonDocument> model(Model model, BsonValue id, RawBsonDocument document) {
        return switch (model) {
            // the filter as BSON already: Filters.eq would be encoded through the codec registry for every record
            case REPLACE -> new ReplaceOneModel<>(new BsonDocument("_id", id), document, UPSERT);
            case MERGE -> new UpdateOneModel<>(new BsonDocument("_id", id), merge(id, document), UPDATE_UPSERT);
            case INSERT -> new InsertOneModel<>(document);
        };
    }

    /** {@code $set} of every top-level field but _id ({@code $setOnInsert} of _id alone when there is none). */
    private static BsonDocument merge(BsonValue id, RawBsonDocument document) {
        BsonDocument fields = new BsonDocument();
        document.forEach((name, value) -> {
            if (!name.equals("_id")) {
                fields.append(name, value);
            }
        });
        return fields.isEmpty() ? new BsonDocument("$setOnInsert", new BsonDocument("_id", id))
                : new BsonDocument("$set", fields);
    }

    private Model model(Exchange batch) {
        Model known = model;
        if (known == null) {
            String setting = batch.getContext().resolvePropertyPlaceholders("{{mongo.write-model}}").trim();
            known = Model.valueOf(setting.toUpperCase(java.util.Locale.ROOT));
            model = known;
        }
        return known;
    }

    private Checks checks(Exchange batch) {
        Checks known = checks;
        if (known == null) {
            String transform = batch.getContext().resolvePropertyPlaceholders("{{sink.transform:}}").trim();
            long limitMs = Long.parseLong(batch.getContext()
                    .resolvePropertyPlaceholders("{{sink.transform-timeout-ms}}").trim());
            String schema = batch.getContext().resolvePropertyPlaceholders("{{sink.schema:}}").trim();
            try {
                JqTransform compiled = JqTransform.compile("SINK_TRANSFORM", transform);
                known = new Checks(compiled == null ? null : new TimedTransform(compiled, limitMs),
                        schema.isEmpty() ? null : SchemaCheck.load(java.nio.file.Path.of(schema)));
            } catch (java.io.IOException e) {
                // Rules refuses both at the start; this is only reached when they changed on disk since
                throw new IllegalStateException("SINK_TRANSFORM/SINK_SCHEMA: " + e.getMessage(), e);
            }
            checks = known;
        }
        return known;
    }

    /** A record's SINK_TRANSFORM result: its new bytes, null (dropped), or its failure. */
    private static byte[] transformed(Object result) throws RejectedRecord {
        if (result instanceof JqTransform.Failed failed) {
            throw new RejectedRecord(failed.getMessage());
        }
        return (byte[]) result;
    }

    /** The records' values as the transform takes them (a tombstone's null too: its result is not used). */
    private static List<byte[]> values(List<PolledRecord> records) {
        List<byte[]> values = new ArrayList<>(records.size());
        for (PolledRecord record : records) {
            values.add(record.message().getBody(byte[].class));
        }
        return values;
    }

    /** After the bulk write: what was stored, for the route's line and meters. */
    static void stored(Exchange batch, List<Write> stored) {
        List<Object> upserted = new ArrayList<>(stored.size());
        List<Object> deleted = new ArrayList<>();
        List<PolledRecord> written = new ArrayList<>(stored.size());
        for (Write write : stored) {
            (write.delete() ? deleted : upserted).add(write.id());
            written.add(write.record());
        }
        batch.getMessage().setHeader(STORED_COUNT, upserted.size());
        batch.getMessage().setHeader(STORED_IDS, (upserted.isEmpty() && !deleted.isEmpty() ? "(none)" : summarize(upserted))
                + (deleted.isEmpty() ? "" : "; deleted " + deleted.size() + ", _id: " + summarize(deleted)));
        batch.setProperty(WRITTEN, written);
    }

    /** For the batch's line: "; N already present, left as they were" (insert model), or nothing. */
    public String presentNote(int present) {
        return present == 0 ? "" : "; " + present + " already present, left as they were (MONGO_WRITE_MODEL=insert)";
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

    /** The {@code _id} a record is stored under, or null when it goes to the dead-letter topic instead. */
    public Object documentId(String value, String topic, Object partition, Object offset) {
        try {
            byte[] bytes = value == null ? null : value.getBytes(StandardCharsets.UTF_8);
            return JsonToBson.javaValue(json.encode(bytes, () -> PolledRecord.position(topic, partition, offset)).id());
        } catch (RejectedRecord e) {
            return null;
        }
    }

    private static String keyText(Object key) {
        return key instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : key.toString();
    }

    /** A record for the dead-letter topic: its bytes as read, where it came from, why. */
    static Map<String, Object> rejected(PolledRecord record, String reason) {
        Map<String, Object> entry = new LinkedHashMap<>();
        byte[] value = record.message().getBody(byte[].class);
        entry.put("value", value == null ? new byte[0] : value);
        entry.put("key", record.key());
        entry.put("reason", reason);
        entry.put("topic", record.partition().topic());
        // as text: Kafka record headers are bytes, and "3" reads better in kcat than a 4-byte int
        entry.put("partition", String.valueOf(record.partition().partition()));
        entry.put("offset", String.valueOf(record.offset()));
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
}
