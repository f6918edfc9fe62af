package dev.kafkalearn;

import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoTimeoutException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says at start, in one line each, whether Kafka and MongoDB answer. An unreachable one is not an error: the
 * pipeline waits for it (records stay in Kafka, uncommitted) and goes on once it is up.
 */
public class DependencyCheck {

    private static final Logger LOG = LoggerFactory.getLogger("dependency-check");
    private static final int TIMEOUT_MS = 5000;

    private final String kafkaBrokers;
    private final ConnectionString mongo;

    public DependencyCheck(String kafkaBrokers, String mongoUri) {
        this.kafkaBrokers = kafkaBrokers;
        this.mongo = new ConnectionString(mongoUri);
    }

    public void report() {
        reportKafka();
        reportMongo();
    }

    private void reportKafka() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBrokers);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        try (Admin admin = Admin.create(props)) {
            int brokers = admin.describeCluster().nodes().get(TIMEOUT_MS, TimeUnit.MILLISECONDS).size();
            LOG.info("Kafka at {} is reachable ({} broker{})", kafkaBrokers, brokers, brokers == 1 ? "" : "s");
        } catch (Exception e) {
            LOG.warn("Kafka at {} is not reachable yet ({}); the pipeline waits for it, nothing is lost",
                    kafkaBrokers, reason(e));
        }
    }

    private void reportMongo() {
        String hosts = String.join(",", mongo.getHosts());
        MongoClientSettings settings = MongoClientSettings.builder().applyConnectionString(mongo)
                .applyToClusterSettings(c -> c.serverSelectionTimeout(TIMEOUT_MS, TimeUnit.MILLISECONDS))
                .build();
        try (MongoClient client = MongoClients.create(settings)) {
            client.getDatabase("admin").runCommand(new Document("ping", 1));
            LOG.info("MongoDB at {} is reachable", hosts);
        } catch (Exception e) {
            LOG.warn("MongoDB at {} is not reachable yet ({}); records wait in Kafka until it is, nothing is lost",
                    hosts, reason(e));
        }
    }

    private static String reason(Exception e) {
        if (e instanceof TimeoutException || e instanceof MongoTimeoutException
            || e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
            return "no answer within " + TIMEOUT_MS / 1000 + " s";
        }
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return JsonArrayElements.firstLine(message);
    }
}
