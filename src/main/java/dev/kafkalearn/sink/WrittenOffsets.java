package dev.kafkalearn.sink;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * One Kafka consumer's ledger of the batches it handed to the writer, in the order it read them, and which of those
 * MongoDB acknowledged. The offsets that may be committed are those of the written batches up to the first one still
 * being written: a batch written out of turn waits for the ones before it, so no offset is ever committed past a record
 * that is not stored.
 * <p>
 * The consumer's thread hands batches off and takes what may be committed; the writer's thread marks them written.
 */
final class WrittenOffsets {

    /** A batch's offsets to commit (per partition, the one after its last record) and whether it is stored. */
    static final class Batch {
        private final Map<TopicPartition, OffsetAndMetadata> offsets;
        private boolean written;
        private boolean abandoned;

        private Batch(Map<TopicPartition, OffsetAndMetadata> offsets) {
            this.offsets = offsets;
        }
    }

    private final Deque<Batch> batches = new ArrayDeque<>();
    /**
     * Batches handed off and not yet written: counted, since written batches stay in the ledger until their offsets
     * are taken (up to a commit interval's worth), and the consumer asks after each poll while records trickle in.
     */
    private int unwritten;
    /** Batches given up unwritten (a stop ended their retries): no offset at or after them is committed. */
    private int abandoned;

    /** The consumer read this batch and hands it to the writer. */
    synchronized Batch handedOff(Map<TopicPartition, OffsetAndMetadata> offsets) {
        Batch batch = new Batch(offsets);
        batches.addLast(batch);
        unwritten++;
        return batch;
    }

    /** MongoDB acknowledged this batch (and its rejected records are on the dead-letter topic). */
    synchronized void written(Batch batch) {
        // an abandoned batch stays unwritten: part of it (a dead letter) failed, and it must be read again
        if (!batch.written && !batch.abandoned) {
            batch.written = true;
            unwritten--;
        }
        notifyAll();
    }

    /** This batch will not be written (a stop ended its retries): it stays unwritten, and is no longer waited for. */
    synchronized void abandoned(Batch batch) {
        if (!batch.written && !batch.abandoned) {
            batch.abandoned = true;
            unwritten--;
            abandoned++;
        }
        notifyAll();
    }

    /** How many batches handed off are not yet written (being written or waiting for the writer). */
    synchronized int unwritten() {
        return unwritten;
    }

    /** How many batches were given up unwritten. */
    synchronized int abandoned() {
        return abandoned;
    }

    /** The offsets every written batch before the first unwritten one reached, merged; those batches leave the ledger. */
    synchronized Map<TopicPartition, OffsetAndMetadata> takeWritten() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        while (!batches.isEmpty() && batches.peekFirst().written) {
            offsets.putAll(batches.pollFirst().offsets);
        }
        return offsets;
    }

    /** Waits until every batch handed off so far is written, at most timeoutMs; how many are still being written. */
    synchronized int awaitWritten(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (unwritten > 0) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                break;
            }
            wait(left);
        }
        return unwritten;
    }
}
