package dev.kafkalearn.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;

/**
 * When MongoDB stored each record of a latency pass, to the microsecond, as the MongoDB-wire server itself saw it:
 * the moment the write command that carried the record's document returned from the backend (applied, before the
 * reply went out). The harness asked for the collection's count every 2 ms instead, and both ends were whole
 * milliseconds (the Kafka timestamp and the sampler's clock): every latency was off by up to 3 ms, more than the sinks
 * differ by at 1 000 records/s. Both processes read the same clock, the machine's wall clock ({@link #nowMicros}).
 * <p>
 * The harness arms the server for a window of ids ({@link #arm}), sends, and reads the stamps back ({@link #read});
 * outside a window a write costs the server one volatile read more.
 */
final class StoredAt {

    /** The command that arms the server for a window of ids, or (without "from") returns the window's stamps. */
    static final String COMMAND = "kafkaLearnStoredAt";

    private StoredAt() {
    }

    /** The machine's wall clock in microseconds since the epoch: the same clock in every process. */
    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    /** From now on the server stamps the documents whose id is from, from + 1, ... from + count - 1. */
    static void arm(MongoDatabase database, long from, int count) {
        database.runCommand(new org.bson.Document(COMMAND, 1).append("from", from).append("count", count));
    }

    /** The stamps of the armed window, in id order, in µs since the epoch (0: not stored); the server disarms. */
    static long[] read(MongoDatabase database) {
        List<Long> at = database.runCommand(new org.bson.Document(COMMAND, 1)).getList("at", Long.class);
        return at.stream().mapToLong(Long::longValue).toArray();
    }

    /** A memory backend that stamps the armed window's documents as its update and insert commands store them. */
    static final class Backend extends MemoryBackend {

        private record Window(long from, long[] at) {
            void stamp(Object id, long micros) {
                // the pipeline's _id is the user's id; the connector's (PartialValueStrategy) a document {id: ...}
                Object value = id instanceof Document d ? d.get("id") : id;
                if (value instanceof Number n) {
                    long index = n.longValue() - from;
                    if (index >= 0 && index < at.length && at[(int) index] == 0) {
                        at[(int) index] = micros;
                    }
                }
            }
        }

        private volatile Window window;

        @Override
        public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
            if (command.equals(COMMAND)) {
                return window(query);
            }
            Document reply = super.handleCommand(channel, databaseName, command, query);
            Window armed = window;
            if (armed != null && (command.equals("update") || command.equals("insert"))) {
                long micros = nowMicros();
                boolean update = command.equals("update");
                synchronized (armed) {
                    for (Object operation : (List<?>) query.get(update ? "updates" : "documents")) {
                        Document document = (Document) operation;
                        Object filterOrDocument = update ? document.get("q") : document;
                        armed.stamp(((Document) filterOrDocument).get("_id"), micros);
                    }
                }
            }
            return reply;
        }

        private Document window(Document query) {
            Document reply = new Document("ok", 1.0);
            if (query.containsKey("from")) {
                window = new Window(((Number) query.get("from")).longValue(),
                        new long[((Number) query.get("count")).intValue()]);
                return reply;
            }
            Window armed = window;
            window = null;
            List<Long> at = new ArrayList<>();
            if (armed != null) {
                synchronized (armed) {
                    for (long micros : armed.at()) {
                        at.add(micros);
                    }
                }
            }
            return reply.append("at", at);
        }
    }
}
