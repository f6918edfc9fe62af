package dev.kafkalearn.sink;

import dev.kafkalearn.settings.Secrets;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoSocketReadException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.WriteModel;
import org.apache.camel.Exchange;
import org.apache.camel.util.ObjectHelper;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a batch's {@link MongoWrites.Write}s as one unordered bulk write, and makes sure no record can stall the
 * sink: a bulk write refused as a whole while MongoDB is reachable is written again in halves, recursively, until the
 * records that fail on their own are found; those go to the dead-letter list with the reason, the rest are stored.
 * Only "MongoDB unreachable or unable to take writes now" ({@link Unreachable}) is thrown, for the route to wait on;
 * a connection cut during the write while MongoDB still answers a ping counts as a refusal of what was sent.
 * <p>
 * Java rather than camel-mongodb's bulkWrite: that one is typed to {@code Document} (the records are already BSON
 * here) and cannot be called again on parts of its batch.
 */
public class IsolatingBulkWrite {

    private static final Logger LOG = LoggerFactory.getLogger("kafka-to-mongodb");
    private static final int DUPLICATE_KEY = 11000;
    private static final BulkWriteOptions UNORDERED = new BulkWriteOptions().ordered(false);

    private final MongoClient client;
    private String database;
    private String collection;
    /** The collection, looked up at the first write (the client is made on its first use, once configured). */
    private volatile MongoCollection<RawBsonDocument> target;

    public IsolatingBulkWrite(MongoClient client) {
        this.client = client;
    }

    /** MONGO_DATABASE: created by the first write. */
    public void setDatabase(String database) {
        this.database = database;
        this.target = null;
    }

    /** MONGO_COLLECTION: created by the first write. */
    public void setCollection(String collection) {
        this.collection = collection;
        this.target = null;
    }

    /** Body: the batch's writes. Afterwards: what was stored ({@link MongoWrites#stored}), what was refused added. */
    @SuppressWarnings("unchecked")
    public void write(Exchange batch) {
        List<MongoWrites.Write> writes = batch.getMessage().getBody(List.class);
        MongoCollection<RawBsonDocument> target = this.target;
        if (target == null) {
            target = client.getDatabase(database).getCollection(collection, RawBsonDocument.class);
            this.target = target;
        }
        List<MongoWrites.Write> stored = new ArrayList<>(writes.size());
        List<Map<String, Object>> rejected = new ArrayList<>(batch.getMessage().getHeader(MongoWrites.REJECTED, List.class));
        int present = write(target, writes, stored, rejected);
        MongoWrites.stored(batch, stored);
        batch.getMessage().setHeader(MongoWrites.REJECTED, rejected);
        batch.getMessage().setHeader(MongoWrites.ALREADY_PRESENT, present);
    }

    /** Returns how many insert-only writes found their _id stored already (left as it is, neither stored nor refused). */
    private int write(MongoCollection<RawBsonDocument> target, List<MongoWrites.Write> part, List<MongoWrites.Write> stored,
            List<Map<String, Object>> rejected) {
        if (part.isEmpty()) {
            return 0;
        }
        List<WriteModel<RawBsonDocument>> models = new ArrayList<>(part.size());
        part.forEach(write -> models.add(write.model()));
        try {
            target.bulkWrite(models, UNORDERED);
            stored.addAll(part);
            return 0;
        } catch (MongoBulkWriteException e) {
            if (e.getWriteConcernError() != null || e.getWriteErrors().isEmpty()) {
                throw e;
            }
            // unordered: every other write of the part was applied
            Set<Integer> failed = new HashSet<>();
            int present = 0;
            for (BulkWriteError error : e.getWriteErrors()) {
                failed.add(error.getIndex());
                if (error.getCode() == DUPLICATE_KEY && part.get(error.getIndex()).insertOnly()) {
                    present++;
                    continue;
                }
                rejected.add(MongoWrites.rejected(part.get(error.getIndex()).record(),
                        "MongoDB refused the document (code " + error.getCode() + "): " + error.getMessage()));
            }
            for (int i = 0; i < part.size(); i++) {
                if (!failed.contains(i)) {
                    stored.add(part.get(i));
                }
            }
            return present;
        } catch (RuntimeException e) {
            if (Unreachable.is(e) && !droppedForThisPayload(e, target, part)) {
                throw e;
            }
            String reason = e.getClass().getSimpleName() + ": " + Secrets.shortMessage(e.getMessage());
            if (part.size() == 1) {
                rejected.add(MongoWrites.rejected(part.get(0).record(), "MongoDB refused the write: " + reason));
                return 0;
            }
            LOG.warn("A bulk write of {} documents was refused as a whole ({}); writing it in halves to find the records at fault",
                    part.size(), reason);
            int half = part.size() / 2;
            return write(target, part.subList(0, half), stored, rejected)
                    + write(target, part.subList(half, part.size()), stored, rejected);
        }
    }

    /**
     * A connection cut while this write was sent, yet MongoDB answers a ping at once: the server dropped the write
     * because of what it carried (e.g. a document over its size limit), not because it is down. A single record gets
     * a second try first, so that one flaky moment does not dead-letter it.
     */
    private boolean droppedForThisPayload(RuntimeException failure, MongoCollection<RawBsonDocument> target,
            List<MongoWrites.Write> part) {
        if (ObjectHelper.getException(MongoSocketReadException.class, failure) == null || !answersPing(target)) {
            return false;
        }
        if (part.size() > 1) {
            return true;
        }
        try {
            target.bulkWrite(List.of(part.get(0).model()), UNORDERED);
            return false; // it went through this time: the next write of the whole part will find it stored
        } catch (RuntimeException again) {
            return ObjectHelper.getException(MongoSocketReadException.class, again) != null && answersPing(target);
        }
    }

    private boolean answersPing(MongoCollection<RawBsonDocument> target) {
        try {
            client.getDatabase(target.getNamespace().getDatabaseName()).runCommand(new Document("ping", 1));
            return true;
        } catch (RuntimeException unreachable) {
            return false;
        }
    }
}
