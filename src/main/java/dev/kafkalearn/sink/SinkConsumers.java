package dev.kafkalearn.sink;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Route;
import org.apache.camel.component.kafka.KafkaClientFactory;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's Kafka consumers (the route's {@code kafkaClientFactory}): each commits the offsets of the batches MongoDB
 * acknowledged, itself, on its own thread, as Kafka's consumer requires and as Kafka Connect's sink tasks do. While
 * the writer stores one batch, the consumer reads and parses the next; written offsets are committed, in order
 * ({@link WrittenOffsets}):
 * <ul>
 * <li>asynchronously before a poll, at most every {@code commitIntervalMs} (camel-kafka polls every pollTimeoutMs,
 * records or not, so the last batch of a burst is committed within about that interval; a commit per small batch
 * would load the broker with offset commits when records trickle in). Written offsets stay pending until a commit of
 * them succeeds and are sent again each interval until then, as Kafka Connect commits its cumulative offsets: an
 * asynchronous commit that fails (a coordinator moving, a rebalance in progress) is not the end of them;</li>
 * <li>synchronously when partitions are revoked (a rebalance) and when the consumer unsubscribes or closes (a stop),
 * after waiting up to {@code drainTimeoutMs} for the batches still being written; not at all once Camel's graceful
 * shutdown timed out: the writer was stopped then, so nothing more will be written (with MongoDB down at a stop, the
 * wait made the sink take 20 s more, twice, and then 30 s more for Camel to interrupt the consumer's close).</li>
 * </ul>
 * Offsets of partitions the consumer no longer owns are never committed: their records are read again by the new owner
 * and stored again under the same _id. The consumers themselves come from the component's factory (metered).
 */
public class SinkConsumers implements KafkaClientFactory, CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger("kafka-to-mongodb");

    /** What a sink consumer answers besides {@link Consumer}: its ledger. */
    interface Ledgered {
        WrittenOffsets writtenOffsets();
    }

    private final KafkaClientFactory clients;
    private final long commitIntervalMs;
    private final long drainTimeoutMs;
    private final boolean handOverAtOnce;
    private final AtomicBoolean stoodAside = new AtomicBoolean();
    private CamelContext camelContext;

    /**
     * lingerMs: MONGO_BATCH_LINGER_MS; 0 hands what a poll brings to the route at once (see {@link Committing}).
     */
    public SinkConsumers(KafkaClientFactory clients, long commitIntervalMs, long drainTimeoutMs, long lingerMs) {
        this.clients = clients;
        this.commitIntervalMs = commitIntervalMs;
        this.drainTimeoutMs = drainTimeoutMs;
        this.handOverAtOnce = lingerMs == 0;
    }

    @Override
    public Consumer getConsumer(Properties kafkaProps) {
        Consumer<?, ?> consumer = clients.getConsumer(kafkaProps);
        return (Consumer) Proxy.newProxyInstance(SinkConsumers.class.getClassLoader(),
                new Class<?>[] {Consumer.class, Ledgered.class}, new Committing(consumer, commitIntervalMs, drainTimeoutMs, handOverAtOnce,
                        maxPollRecords(kafkaProps), this::writerStopped, () -> standAside(kafkaProps)));
    }

    /**
     * Another consumer joined the group with this one's group.instance.id (KAFKA_GROUP_INSTANCE_ID) and Kafka fenced this
     * one: the sink stands aside, with one line. Otherwise camel-kafka would reconnect, its consumer fence the other one
     * in turn, and the two would take the partitions from each other every few seconds (three lines each time), each
     * reading again what the other had not committed. The route reading through this factory is stopped, from a thread
     * of its own (a route's stop waits for its consumer's thread, which is the one that was fenced).
     */
    private void standAside(Properties kafkaProps) {
        if (!stoodAside.compareAndSet(false, true)) {
            return;
        }
        LOG.error("Another instance joined consumer group {} with this one's KAFKA_GROUP_INSTANCE_ID={} and took over its "
                + "partitions: this instance's sink stops (what it stored and did not commit is read again there, without "
                + "duplicates). Each running instance needs an id of its own.",
                kafkaProps.get(ConsumerConfig.GROUP_ID_CONFIG), kafkaProps.get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
        Thread stop = new Thread(() -> {
            for (Route route : camelContext.getRoutes()) {
                if (route.getEndpoint() instanceof KafkaEndpoint kafka && kafka.getKafkaClientFactory() == this) {
                    try {
                        camelContext.getRouteController().stopRoute(route.getRouteId());
                    } catch (Exception e) {
                        LOG.warn("Could not stop route {}: {}", route.getRouteId(), e.getMessage());
                    }
                }
            }
        }, "sink-stands-aside");
        stop.setDaemon(true);
        stop.start();
    }

    /**
     * Camel is stopping, its graceful shutdown timed out and it forced the routes to stop: the writer will write nothing
     * more. (The shutdown strategy's flag stays set after a route stopped by hand timed out: hence the context's state.)
     */
    private boolean writerStopped() {
        return camelContext != null && camelContext.isStopping()
                && camelContext.getShutdownStrategy().isTimeoutOccurred();
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    /** max.poll.records as camel-kafka set it (an Integer, not a String), else Kafka's default. */
    private static int maxPollRecords(Properties kafkaProps) {
        Object value = kafkaProps.get(ConsumerConfig.MAX_POLL_RECORDS_CONFIG);
        return value == null ? ConsumerConfig.DEFAULT_MAX_POLL_RECORDS : Integer.parseInt(value.toString());
    }

    @Override
    public Producer getProducer(Properties kafkaProps) {
        return clients.getProducer(kafkaProps);
    }

    @Override
    public String getBrokers(KafkaConfiguration configuration) {
        return clients.getBrokers(configuration);
    }

    /** The ledger of a consumer this factory made. */
    static WrittenOffsets ledgerOf(Consumer<?, ?> consumer) {
        if (consumer instanceof Ledgered ledgered) {
            return ledgered.writtenOffsets();
        }
        throw new IllegalStateException("the sink's Kafka endpoint must be configured with kafkaClientFactory=#bean:sinkConsumers");
    }

    /**
     * One consumer: commits written offsets before a poll (at most every commitIntervalMs), and all of them at a
     * revocation, unsubscribe or close.
     * <p>
     * With no linger (handOverAtOnce), a poll that brought records is followed by one that returns nothing at once,
     * without asking Kafka: camel-kafka's batching consumer adds a poll's records to its batch and hands the batch to
     * the route only at a later poll whose records are none or whose batching interval has passed (or when the batch is
     * full), so without it a trickle's records waited for the next fetch (4-5 ms at 1 000 records/s) before being
     * written. With a linger the batch is meant to wait, and an empty poll would end it before the linger has passed.
     * <p>
     * While records trickle in (a poll brings less than a full batch) and the writer is busy, the consumer goes on
     * reading until the writer is free and then hands over everything it read as one batch ({@link #readWhileWriterBusy}).
     * Under load (full polls) it reads ahead: the next full batch is parsed while the writer stores the one before, and
     * waits in the writer's queue (SINK_BATCHES_AHEAD) for its turn.
     */
    private static final class Committing implements InvocationHandler {

        /** How long each poll waits for records while the writer is busy: how soon the writer's end is seen. */
        private static final Duration WHILE_WRITING = Duration.ofMillis(1);

        private final Consumer<?, ?> consumer;
        private final long commitIntervalNanos;
        private final long drainTimeoutMs;
        private final boolean handOverAtOnce;
        private final int maxPollRecords;
        private final BooleanSupplier writerStopped;
        private final Runnable fenced;
        /** Kafka fenced this consumer (another took its group.instance.id): it reads and commits nothing more. */
        private boolean isFenced;
        /** The batches the stopped writer left were reported; consumer thread only. */
        private boolean stopReported;
        /** The batches a stop left unwritten were reported; consumer thread only. */
        private boolean abandonReported;
        /** The last poll brought records: the next returns none at once (handOverAtOnce); consumer thread only. */
        private boolean handOverNext;
        private final WrittenOffsets ledger = new WrittenOffsets();
        /** Written offsets not yet known committed, per owned partition; consumer thread only (callbacks run in poll). */
        private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
        /** Partitions revoked or lost within the current poll; consumer thread only (callbacks run in poll). */
        private final Set<TopicPartition> revoked = new HashSet<>();
        private long lastCommit = System.nanoTime();

        Committing(Consumer<?, ?> consumer, long commitIntervalMs, long drainTimeoutMs, boolean handOverAtOnce,
                int maxPollRecords, BooleanSupplier writerStopped, Runnable fenced) {
            this.consumer = consumer;
            this.writerStopped = writerStopped;
            this.fenced = fenced;
            this.maxPollRecords = maxPollRecords;
            this.commitIntervalNanos = commitIntervalMs * 1_000_000;
            this.drainTimeoutMs = drainTimeoutMs;
            this.handOverAtOnce = handOverAtOnce;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "writtenOffsets" -> {
                    return ledger;
                }
                case "poll" -> {
                    if (isFenced) {
                        // until the route has stopped: nothing to read, and no reconnect (which would fence the other)
                        Thread.sleep(timeoutMs(args));
                        return ConsumerRecords.empty();
                    }
                    commitWritten();
                    if (handOverNext) {
                        handOverNext = false;
                        return ConsumerRecords.empty();
                    }
                    ConsumerRecords<?, ?> records;
                    try {
                        records = (ConsumerRecords<?, ?>) call(method, args);
                        if (!records.isEmpty() && records.count() < maxPollRecords) {
                            records = readWhileWriterBusy(records);
                        }
                    } catch (FencedInstanceIdException e) {
                        fenced();
                        return ConsumerRecords.empty();
                    }
                    handOverNext = handOverAtOnce && !records.isEmpty();
                    return records;
                }
                case "subscribe" -> {
                    if (args.length == 2 && args[1] instanceof ConsumerRebalanceListener listener) {
                        args[1] = committingOnRevoke(listener);
                    }
                }
                case "unsubscribe", "close" -> commitAll("the consumer stops");
                default -> {
                    // everything else as the consumer does it
                }
            }
            return call(method, args);
        }

        /**
         * A poll brought less than a full batch while the writer still stores an earlier one: go on reading, a
         * millisecond at a time, and return everything read together the moment the writer is free (or once a full
         * batch is read). Handed over at once, these records would only wait behind the batch being written; and a
         * consumer that stopped reading until the writer is free would leave the records arriving meanwhile at the
         * broker until its next fetch, one poll later (Kafka's consumer sends a fetch only from within poll).
         * <p>
         * A rebalance inside one of these polls may take partitions away: what was read from them before it is left
         * out (their next owner, or this consumer again from the committed offset, reads it again). Written after the
         * partition moved on, a record could overwrite a later version its new owner had stored already.
         */
        @SuppressWarnings({"unchecked", "rawtypes"})
        private ConsumerRecords<?, ?> readWhileWriterBusy(ConsumerRecords<?, ?> first) {
            if (ledger.unwritten() == 0) {
                return first;
            }
            Map<TopicPartition, List<ConsumerRecord>> merged = new LinkedHashMap<>();
            int count = add(merged, first);
            while (ledger.unwritten() > 0 && count < maxPollRecords) {
                revoked.clear();
                ConsumerRecords<?, ?> more = consumer.poll(WHILE_WRITING);
                if (!revoked.isEmpty()) {
                    merged.keySet().removeAll(revoked);
                    count = merged.values().stream().mapToInt(List::size).sum();
                }
                count += add(merged, more);
            }
            return new ConsumerRecords(merged);
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private static int add(Map<TopicPartition, List<ConsumerRecord>> merged, ConsumerRecords<?, ?> records) {
            for (TopicPartition partition : records.partitions()) {
                merged.computeIfAbsent(partition, p -> new ArrayList<>()).addAll((List) records.records(partition));
            }
            return records.count();
        }

        private static long timeoutMs(Object[] args) {
            return args != null && args.length == 1 && args[0] instanceof Duration d ? d.toMillis() : 0;
        }

        private Object call(Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(consumer, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        private void commitWritten() {
            if (System.nanoTime() - lastCommit < commitIntervalNanos) {
                return;
            }
            lastCommit = System.nanoTime();
            Map<TopicPartition, OffsetAndMetadata> offsets = pendingOwned();
            if (!offsets.isEmpty()) {
                consumer.commitAsync(offsets, (committed, failure) -> {
                    if (failure == null) {
                        committed(committed);
                    } else if (failure instanceof FencedInstanceIdException) {
                        fenced();
                    } else {
                        LOG.warn("Could not commit the offsets of stored records ({}); committing them again within {} ms",
                                failure.getClass().getSimpleName(), commitIntervalNanos / 1_000_000);
                    }
                });
            }
        }

        /** Kafka fenced this consumer (seen by a poll or a commit): it reads and commits nothing more, and says so. */
        private void fenced() {
            isFenced = true;
            fenced.run();
        }

        private void commitAll(String why) {
            if (isFenced) {
                // the partitions are another consumer's now: its commits count, and Kafka would refuse ours
                return;
            }
            try {
                boolean stopped = writerStopped.getAsBoolean();
                int unwritten = ledger.awaitWritten(stopped ? 0 : drainTimeoutMs);
                if (unwritten > 0 && !stopped) {
                    LOG.warn("{} batches were still being written to MongoDB {} ms after {}: their records will be read and stored again, without duplicates",
                            unwritten, drainTimeoutMs, why);
                } else if (unwritten > 0 && !stopReported) {
                    // said once: a close also revokes the partitions, which asks again
                    stopReported = true;
                    LOG.warn("{} batches were not written to MongoDB when the sink was stopped (they were still being written at the end of the shutdown timeout): their records will be read and stored again, without duplicates",
                            unwritten);
                }
                int abandoned = ledger.abandoned();
                if (abandoned > 0 && !abandonReported) {
                    abandonReported = true;
                    LOG.warn("{} batches were not written when the sink was stopped (they were waiting for MongoDB or Kafka): their records will be read and stored again at the next start, without duplicates",
                            abandoned);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Map<TopicPartition, OffsetAndMetadata> offsets = pendingOwned();
            if (!offsets.isEmpty()) {
                try {
                    consumer.commitSync(offsets);
                    committed(offsets);
                } catch (KafkaException e) {
                    notCommitted(e);
                }
            }
        }

        /** The ledger's newly written offsets joined to those pending, less the partitions no longer owned; a copy. */
        private Map<TopicPartition, OffsetAndMetadata> pendingOwned() {
            pending.putAll(ledger.takeWritten());
            if (!pending.isEmpty()) {
                pending.keySet().retainAll(consumer.assignment());
            }
            return new HashMap<>(pending);
        }

        /** A commit succeeded: its offsets are no longer pending, unless a later one of the partition is. */
        private void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
            offsets.forEach(pending::remove);
        }

        private static void notCommitted(Exception failure) {
            LOG.warn("Stored a batch but could not commit its offsets ({}); its records will be read and stored again, without duplicates",
                    failure.getClass().getSimpleName());
        }

        private ConsumerRebalanceListener committingOnRevoke(ConsumerRebalanceListener listener) {
            return new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    revoked.addAll(partitions);
                    if (!partitions.isEmpty()) {
                        commitAll("partitions were revoked");
                    }
                    listener.onPartitionsRevoked(partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    listener.onPartitionsAssigned(partitions);
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    revoked.addAll(partitions);
                    listener.onPartitionsLost(partitions);
                }
            };
        }
    }
}
