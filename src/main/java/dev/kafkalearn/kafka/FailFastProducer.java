package dev.kafkalearn.kafka;

import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Kafka's producer, whose sends fail at once, for a moment, after one of them found Kafka unreachable (its topic's
 * metadata, or room in its buffer, did not come within {@code max.block.ms}).
 * <p>
 * camel-kafka sends a group of records (a list body) one {@code send} per record, and Kafka's {@code send} reports that
 * timeout to the record's callback instead of throwing it (read in kafka-clients 3.9's {@code KafkaProducer.doSend}):
 * the next record then waited {@code max.block.ms} in turn, so a group of 500 failed only after 500 of those waits, and
 * the source's retry (untilReachable, which says so in one line and ends at a stop) never began. Now the rest of the
 * group fails with the first record's error, and the group is retried whole. Sends that reached the producer's buffer
 * are untouched: their failures come later, from the broker, per batch.
 */
final class FailFastProducer extends KafkaProducer<Object, Object> {

    /** Longer than handing a group to the producer takes (milliseconds), shorter than the first retry's backoff (1 s). */
    private static final long HOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(900);

    private volatile TimeoutException failure;
    private volatile long failingUntil;

    FailFastProducer(Properties properties) {
        super(properties);
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<Object, Object> record, Callback callback) {
        TimeoutException failed = failure;
        if (failed != null && System.nanoTime() - failingUntil < 0) {
            if (callback != null) {
                callback.onCompletion(null, failed);
            }
            return CompletableFuture.failedFuture(failed);
        }
        Future<RecordMetadata> sent = super.send(record, callback);
        if (sent.isDone()) {
            remember(sent);
        }
        return sent;
    }

    /** A send over as soon as it returned failed before reaching the buffer: was it Kafka's timeout? */
    private void remember(Future<RecordMetadata> sent) {
        try {
            sent.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TimeoutException timeout) {
                failure = timeout;
                failingUntil = System.nanoTime() + HOLD_NANOS;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
