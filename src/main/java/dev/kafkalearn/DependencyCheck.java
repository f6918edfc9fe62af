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
 * pipeline waits for it (records stay in Kafka, uncommitted) and goes on once it is up. The same probes answer the
 * readiness check ({@link DependencyHealthCheck}).
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
        try {
            LOG.info("Kafka at {} is reachable ({})", kafkaBrokers, kafkaCluster(TIMEOUT_MS));
        } catch (Exception e) {
            LOG.warn("Kafka at {} is not reachable yet ({}); the pipeline waits for it, nothing is lost",
                    kafkaBrokers, reason(e, TIMEOUT_MS));
        }
    }

    private void reportMongo() {
        try {
            LOG.info("MongoDB at {} is reachable (server version {})", mongoHosts(), pingMongo(TIMEOUT_MS));
        } catch (Exception e) {
            LOG.warn("MongoDB at {} is not reachable yet ({}); records wait in Kafka until it is, nothing is lost",
                    mongoHosts(), reason(e, TIMEOUT_MS));
        }
    }

    /** "1 broker, cluster id …"; throws when Kafka does not answer within timeoutMs. */
    String kafkaCluster(int timeoutMs) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBrokers);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        try (Admin admin = Admin.create(props)) {
            var cluster = admin.describeCluster();
            int brokers = cluster.nodes().get(timeoutMs, TimeUnit.MILLISECONDS).size();
            return brokers + " broker" + (brokers == 1 ? "" : "s") + ", cluster id "
                   + cluster.clusterId().get(timeoutMs, TimeUnit.MILLISECONDS);
        }
    }

    /** The server's version; throws when MongoDB does not answer within timeoutMs. */
    String pingMongo(int timeoutMs) {
        MongoClientSettings settings = MongoClientSettings.builder().applyConnectionString(mongo)
                .applyToClusterSettings(c -> c.serverSelectionTimeout(timeoutMs, TimeUnit.MILLISECONDS))
                .build();
        try (MongoClient client = MongoClients.create(settings)) {
            client.getDatabase("admin").runCommand(new Document("ping", 1));
            return String.valueOf(client.getDatabase("admin").runCommand(new Document("buildInfo", 1)).get("version"));
        }
    }

    String kafkaBrokers() {
        return kafkaBrokers;
    }

    String mongoHosts() {
        return String.join(",", mongo.getHosts());
    }

    /** Why a probe failed, in a few words (never the connection string: it may hold a password). */
    static String reason(Exception e, int timeoutMs) {
        if (e instanceof TimeoutException || e instanceof MongoTimeoutException
            || e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
            return "no answer within " + Math.max(1, timeoutMs / 1000) + " s";
        }
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return JsonArrayElements.firstLine(message);
    }
}
