package dev.kafkalearn.sink;

import dev.kafkalearn.settings.Secrets;

import java.util.List;

import com.mongodb.MongoException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.util.ObjectHelper;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One short line before each retry of a batch that waits for MongoDB or Kafka, instead of Camel's own line (the
 * message id and the driver's whole cluster description): which dependency, why in a few words, how many records wait.
 */
public class SinkRetries implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger("kafka-to-mongodb");

    @Override
    public void process(Exchange batch) {
        Exception failure = batch.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (failure == null) {
            failure = batch.getException();
        }
        List<?> records = batch.getProperty("records", List.class);
        int attempt = batch.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        LOG.warn("{}; {} records wait, nothing is skipped or committed (retry {})", reason(failure),
                records == null ? 0 : records.size(), attempt);
    }

    static String reason(Exception failure) {
        if (ObjectHelper.getException(MongoTimeoutException.class, failure) != null) {
            return "MongoDB is not reachable (no server answered in time)";
        }
        MongoSocketException socket = ObjectHelper.getException(MongoSocketException.class, failure);
        if (socket != null) {
            return "MongoDB at " + socket.getServerAddress() + " is not reachable (" + socket.getMessage() + ")";
        }
        MongoException mongo = ObjectHelper.getException(MongoException.class, failure);
        if (mongo != null) {
            return "MongoDB cannot take writes now (" + firstLine(mongo.getMessage()) + ")";
        }
        KafkaException kafka = ObjectHelper.getException(KafkaException.class, failure);
        if (kafka != null) {
            return "Kafka failed (" + firstLine(kafka.getMessage()) + ")";
        }
        if (failure == null) {
            return "Unknown failure";
        }
        // the failure itself, not Camel's "Exception occurred during execution on the exchange" around it
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + firstLine(cause.getMessage());
    }

    private static String firstLine(String message) {
        return Secrets.shortMessage(message);
    }
}
