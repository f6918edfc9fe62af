package dev.kafkalearn.bench;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bson.Document;

/**
 * The tutorial's Kafka -> MongoDB consumer, in Java: Kafka's defaults (auto-commit every 5 s, up to 500 records a
 * poll), and for every record {@code collection.insert_one(json.loads(msg.value))}, one round trip each.
 * <p>
 * Args: bootstrap topic group mongoUri database collection maxSeconds. Stops after maxSeconds (the harness normally
 * ends it sooner, once every record is stored).
 */
public final class TutorialSink {

    private TutorialSink() {
    }

    public static void main(String[] args) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, args[2]);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(args[6])).toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
             MongoClient client = MongoClients.create(args[3])) {
            MongoCollection<Document> collection = client.getDatabase(args[4]).getCollection(args[5]);
            consumer.subscribe(List.of(args[1]));
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    collection.insertOne(Document.parse(record.value()));
                }
            }
        }
    }
}
