package dev.kafkalearn.source;

import dev.kafkalearn.settings.Secrets;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.util.ObjectHelper;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One short line before each retry of a failed fetch (or of a send while Kafka is unreachable), with the source's URL and the failure's message masked
 * (Camel's own retry line would show both as they are, a token in the URL included).
 */
public class SourceRetries implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger("source-to-kafka");

    @Override
    public void process(Exchange exchange) {
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (failure == null) {
            failure = exchange.getException();
        }
        int attempt = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        int retries = exchange.getMessage().getHeader(Exchange.REDELIVERY_MAX_COUNTER, 0, Integer.class);
        KafkaException kafka = ObjectHelper.getException(KafkaException.class, failure);
        if (kafka != null) {
            // retried until Kafka is back (untilReachable): no "of N"
            LOG.warn("Kafka failed ({}); the elements wait, nothing is skipped (retry {})",
                    Secrets.shortMessage(kafka.getMessage()), attempt);
            return;
        }
        LOG.warn("Source {} could not be read ({}), retry {} of {}", exchange.getProperty(SourcePages.SHOWN, String.class),
                failure == null ? "unknown failure" : Secrets.mask(failure.getMessage()), attempt, retries);
    }
}
