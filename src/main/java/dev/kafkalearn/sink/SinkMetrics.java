package dev.kafkalearn.sink;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.Exchange;

/**
 * The Kafka → MongoDB route's write meters, with Prometheus histogram buckets: how many documents one bulk write
 * holds, how long MongoDB took to acknowledge it, and for every stored record the time from its Kafka timestamp to
 * that acknowledgement (end-to-end latency); and the counters of documents stored and of records already present
 * (MONGO_WRITE_MODEL=insert), and of records SINK_TRANSFORM dropped (the source's route counts its own into the same
 * counter), tagged as camel-micrometer tags its counters. The other counters are in the routes (camel-micrometer);
 * these three are counted here, where the batch's figures are at hand: a camel-micrometer step clears its headers
 * from the exchange by pattern, compiling a regular expression per message header, and the two steps after every
 * bulk write were 6 % of the sink's CPU samples at 1 000 records/s (small batches), the one per batch read 3 %.
 */
public class SinkMetrics {

    private static final String STARTED = "kafkaLearnWriteStarted";

    private volatile Meters meters;

    private record Meters(DistributionSummary batchSize, Timer writeLatency, Timer endToEnd, Counter stored,
                          Counter alreadyPresent, Counter dropped) {
    }

    /** Consumer thread: SINK_TRANSFORM turned this many records of the batch into null. */
    void dropped(Exchange batch, int count) {
        Meters m = meters(batch);
        if (m != null) {
            m.dropped.increment(count);
        }
    }

    /** Just before the bulk write. */
    public void writeStarted(Exchange batch) {
        batch.setProperty(STARTED, System.nanoTime());
    }

    /**
     * After MongoDB acknowledged the bulk write: batch size, write latency, each stored record's end-to-end latency,
     * documents stored and records already present.
     */
    public void written(Exchange batch) {
        Meters m = meters(batch);
        Long started = batch.getProperty(STARTED, Long.class);
        if (m == null || started == null) {
            return;
        }
        long now = System.currentTimeMillis();
        m.writeLatency.record(Duration.ofNanos(System.nanoTime() - started));
        int stored = batch.getMessage().getHeader(MongoWrites.STORED_COUNT, 0, Integer.class);
        m.batchSize.record(stored);
        m.stored.increment(stored);
        int present = batch.getMessage().getHeader(MongoWrites.ALREADY_PRESENT, 0, Integer.class);
        if (present > 0) {
            m.alreadyPresent.increment(present);
        }
        List<?> written = batch.getProperty(MongoWrites.WRITTEN, List.class);
        for (Object item : written == null ? List.of() : written) {
            long timestamp = ((PolledRecord) item).timestamp();
            if (timestamp > 0) {
                m.endToEnd.record(Math.max(0, now - timestamp), TimeUnit.MILLISECONDS);
            }
        }
    }

    private Meters meters(Exchange exchange) {
        if (meters == null) {
            MeterRegistry registry = exchange.getContext().getRegistry()
                    .lookupByNameAndType("metricsRegistry", MeterRegistry.class);
            if (registry == null) {
                return null; // metrics disabled
            }
            // camel-micrometer's own tag on every meter it makes (the source's counters carry it too)
            Tags context = Tags.of("camelContext", exchange.getContext().getName());
            meters = new Meters(
                    DistributionSummary.builder("kafkalearn.mongo.write.batch.size")
                            .description("Documents per MongoDB bulk write")
                            .serviceLevelObjectives(1, 10, 50, 100, 250, 500, 1000, 2000, 5000)
                            .register(registry),
                    Timer.builder("kafkalearn.mongo.write.latency")
                            .description("Time from sending a bulk write to MongoDB's acknowledgement")
                            .serviceLevelObjectives(millis(5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000))
                            .register(registry),
                    Timer.builder("kafkalearn.end.to.end.latency")
                            .description("Time from a record's Kafka timestamp to MongoDB's acknowledgement of its document")
                            .serviceLevelObjectives(millis(10, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000,
                                    300000))
                            .register(registry),
                    Counter.builder("kafkalearn.records.stored")
                            .description("Documents MongoDB acknowledged")
                            .tags(context)
                            .register(registry),
                    Counter.builder("kafkalearn.records.already-present")
                            .description("Records not inserted: their _id was stored already (MONGO_WRITE_MODEL=insert)")
                            .tags(context)
                            .register(registry),
                    Counter.builder("kafkalearn.records.dropped")
                            .description("Records SOURCE_TRANSFORM or SINK_TRANSFORM dropped (turned into null; at the source also those it failed on)")
                            .tags(context)
                            .register(registry));
        }
        return meters;
    }

    private static Duration[] millis(long... values) {
        Duration[] durations = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            durations[i] = Duration.ofMillis(values[i]);
        }
        return durations;
    }
}
