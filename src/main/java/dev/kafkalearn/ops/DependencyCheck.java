package dev.kafkalearn.ops;

import dev.kafkalearn.kafka.KafkaClients;
import dev.kafkalearn.kafka.KafkaSecurity;
import dev.kafkalearn.settings.Secrets;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

import com.mongodb.ConnectionString;
import com.mongodb.MongoTimeoutException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.connection.ServerDescription;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.spi.OnCamelContextStarting;
import org.apache.camel.spi.OnCamelContextStopped;
import org.apache.camel.util.ObjectHelper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.errors.AuthenticationException;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says at start, in one line each, whether Kafka and MongoDB answer. An unreachable one is not an error: the
 * pipeline waits for it (records stay in Kafka, uncommitted) and goes on once it is up. The same probes answer the
 * readiness check ({@link DependencyHealthCheck}), with long-lived clients: one Admin client (built like every other,
 * {@link KafkaClients}) and the pipeline's own MongoDB client (bean {@code mongoClient}), not new ones per probe.
 */
public class DependencyCheck implements OnCamelContextStarting, OnCamelContextStopped, CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger("dependency-check");
    private static final int TIMEOUT_MS = 5000;

    private final String kafkaBrokers;
    private final ConnectionString mongo;
    private KafkaSecurity security = new KafkaSecurity();
    private CamelContext camelContext;
    private Admin admin;

    public DependencyCheck(String kafkaBrokers, String mongoUri) {
        this.kafkaBrokers = kafkaBrokers;
        this.mongo = new ConnectionString(mongoUri);
    }

    public void setSecurity(KafkaSecurity security) {
        this.security = security;
    }

    /**
     * Before any route starts, with Kafka security configured: credentials Kafka refuses are a configuration error, not
     * an outage to wait for (waiting would retry them forever), so the start fails with one message. An unreachable
     * Kafka is no error here: the routes wait for it.
     */
    @Override
    public void onContextStarting(CamelContext context) {
        if (security.describe().equals("PLAINTEXT")) {
            return;
        }
        try {
            kafkaCluster(TIMEOUT_MS);
        } catch (Exception e) {
            if (refusedCredentials(e)) {
                throw new RefusedCredentials("Kafka at " + kafkaBrokers + " refused the pipeline's credentials ("
                        + security.describe() + "): " + reason(e, TIMEOUT_MS) + ". Check KAFKA_SASL_USERNAME and "
                        + "KAFKA_SASL_PASSWORD (or the TLS settings)");
            }
        }
    }

    /** Kafka refused the credentials: the pipeline does not start. */
    public static final class RefusedCredentials extends IllegalStateException {
        RefusedCredentials(String message) {
            super(message);
        }

        /** The message is all there is to say: no stack trace in the log. */
        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    public void report() {
        reportKafka();
        reportMongo();
    }

    private void reportKafka() {
        try {
            LOG.info("Kafka at {} is reachable ({}, {})", kafkaBrokers, kafkaCluster(TIMEOUT_MS), security.describe());
        } catch (Exception e) {
            LOG.warn("Kafka at {} is not reachable yet ({}); the pipeline waits for it, nothing is lost",
                    kafkaBrokers, reason(e, TIMEOUT_MS));
        }
    }

    private static boolean refusedCredentials(Throwable e) {
        return ObjectHelper.getException(AuthenticationException.class, e) != null;
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
        var cluster = admin().describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs));
        int brokers = cluster.nodes().get(timeoutMs, TimeUnit.MILLISECONDS).size();
        return brokers + " broker" + (brokers == 1 ? "" : "s") + ", cluster id "
               + cluster.clusterId().get(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** The one Admin client of the checks, made on first use (the Kafka component is configured by then). */
    private synchronized Admin admin() {
        if (admin == null) {
            admin = KafkaClients.admin(camelContext, Duration.ofMillis(TIMEOUT_MS));
        }
        return admin;
    }

    /** The server's version; throws when MongoDB does not answer within timeoutMs (the driver's client-side timeout). */
    String pingMongo(int timeoutMs) {
        MongoClient client = camelContext.getRegistry().lookupByNameAndType("mongoClient", MongoClient.class);
        MongoDatabase admin = client.getDatabase("admin").withTimeout(timeoutMs, TimeUnit.MILLISECONDS);
        try {
            admin.runCommand(new Document("ping", 1));
        } catch (MongoTimeoutException e) {
            throw untrusted(client).orElseThrow(() -> e);
        }
        return String.valueOf(admin.runCommand(new Document("buildInfo", 1)).get("version"));
    }

    /**
     * A server whose certificate the client does not trust looks like one that never answers (the driver retries the
     * handshake until server selection times out); its last handshake failure says why, in one line.
     */
    private static Optional<IllegalStateException> untrusted(MongoClient client) {
        for (ServerDescription server : client.getClusterDescription().getServerDescriptions()) {
            SSLException tls = server.getException() == null ? null
                    : ObjectHelper.getException(SSLException.class, server.getException());
            if (tls != null) {
                Throwable root = tls;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                return Optional.of(new IllegalStateException("its TLS certificate is not trusted: "
                        + Secrets.shortMessage(root.getMessage()) + "; MONGO_TLS_CA_FILE names the CA's PEM file"));
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized void onContextStopped(CamelContext context) {
        if (admin != null) {
            admin.close(Duration.ZERO);
            admin = null;
        }
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
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
            || e instanceof com.mongodb.MongoOperationTimeoutException
            || e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
            return "no answer within " + Math.max(1, timeoutMs / 1000) + " s";
        }
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return Secrets.shortMessage(message);
    }
}
