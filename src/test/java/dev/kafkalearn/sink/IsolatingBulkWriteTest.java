package dev.kafkalearn.sink;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import dev.kafkalearn.support.TestInfrastructure;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The safety net for refusals nobody foresaw: a bulk write the driver refuses as a whole (here a document over the
 * server's size limit that slipped past the per-record checks) is split until the one record at fault is found; the
 * other 99 are stored, against the real MongoDB-wire server.
 */
class IsolatingBulkWriteTest {

    private static final TestInfrastructure INFRA = TestInfrastructure.get();
    private static final int RECORDS = 100;
    private static final int AT_FAULT = 37;

    @Test
    void aBulkWriteRefusedAsAWholeIsSplitUntilTheRecordAtFaultIsFound() throws Exception {
        String database = "bisect-" + UUID.randomUUID().toString().substring(0, 8);
        try (MongoClient client = MongoClients.create(INFRA.mongo.uri()); CamelContext context = new DefaultCamelContext()) {
            List<MongoWrites.Write> writes = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                BsonDocument document = new BsonDocument("_id", new BsonInt32(i)).append("name", new BsonString("user " + i));
                if (i == AT_FAULT) {
                    document.append("text", new BsonString("x".repeat(JsonToBson.MAX_DOCUMENT_BYTES)));
                }
                Message message = context.getCamelContextExtension().getExchangeFactory().create(false).getMessage();
                message.setHeader(KafkaConstants.TOPIC, "t");
                message.setHeader(KafkaConstants.PARTITION, 0);
                message.setHeader(KafkaConstants.OFFSET, (long) i);
                message.setBody(("record " + i).getBytes(StandardCharsets.UTF_8));
                PolledRecord record = PolledRecord.of(message);
                writes.add(new MongoWrites.Write(record, new ReplaceOneModel<>(Filters.eq("_id", i),
                        new RawBsonDocument(document, new BsonDocumentCodec()), new ReplaceOptions().upsert(true)), i, false));
            }
            Exchange batch = new DefaultExchange(context);
            batch.getMessage().setBody(writes);
            batch.getMessage().setHeader(MongoWrites.REJECTED, new ArrayList<>());

            IsolatingBulkWrite bulkWrite = new IsolatingBulkWrite(client);
            bulkWrite.setDatabase(database);
            bulkWrite.setCollection("test");
            bulkWrite.write(batch);

            @SuppressWarnings("unchecked")
            List<Map<String, Object>> rejected = batch.getMessage().getHeader(MongoWrites.REJECTED, List.class);
            assertEquals(1, rejected.size(), rejected.toString());
            assertEquals(String.valueOf(AT_FAULT), rejected.get(0).get("offset"));
            assertTrue(((String) rejected.get(0).get("reason")).startsWith("MongoDB refused the write: "), rejected.toString());
            assertEquals(RECORDS - 1, batch.getMessage().getHeader(MongoWrites.STORED_COUNT));
            List<Document> stored = client.getDatabase(database).getCollection("test").find()
                    .sort(new Document("_id", 1)).into(new ArrayList<>());
            assertEquals(RECORDS - 1, stored.size());
            for (Document document : stored) {
                int id = document.getInteger("_id");
                assertTrue(id != AT_FAULT);
                assertEquals("user " + id, document.getString("name"));
            }
            System.out.println("Bisection: " + rejected.get(0).get("reason"));
        }
    }
}
