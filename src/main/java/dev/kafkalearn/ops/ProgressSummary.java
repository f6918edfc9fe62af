package dev.kafkalearn.ops;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;

/**
 * What a person watching the log reads while the pipeline runs: one summary line per interval (rate, lag, totals,
 * dead-lettered) from the pipeline's own meters, and a budget of per-batch lines per interval. Past the budget, the
 * rest of the interval's batches log at DEBUG only, so high volume gives one line per interval, not one per batch.
 */
public class ProgressSummary implements CamelContextAware {

    private final int batchLines;
    private final AtomicInteger batchLinesLeft;
    private CamelContext camelContext;
    private long lastAt = System.nanoTime();
    private double lastStored;
    private String lastLine;

    public ProgressSummary(int batchLines) {
        this.batchLines = batchLines;
        this.batchLinesLeft = new AtomicInteger(batchLines);
    }

    /** True while this interval still has a budget for a per-batch INFO line (and uses one up). */
    public boolean batchLine() {
        return batchLinesLeft.getAndDecrement() > 0;
    }

    /** The interval's summary line, or null when nothing changed since the last one. Starts a new interval. */
    public synchronized String summary() {
        batchLinesLeft.set(batchLines);
        MeterRegistry registry = camelContext.getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
        if (registry == null) {
            return null;
        }
        long now = System.nanoTime();
        double seconds = Math.max(0.001, (now - lastAt) / 1e9);
        double stored = count(registry, "kafkalearn.records.stored");
        double rate = (stored - lastStored) / seconds;
        double lag = registry.find("kafka.consumer.fetch.manager.records.lag").gauges().stream()
                .mapToDouble(Gauge::value).filter(v -> !Double.isNaN(v)).sum();
        String line = String.format(Locale.ROOT,
                "fetched %.0f, sent %.0f, stored %.0f, dead-lettered %.0f, lag %.0f",
                count(registry, "kafkalearn.records.fetched"), count(registry, "kafkalearn.records.sent"), stored,
                count(registry, "kafkalearn.records.dead.lettered"), lag);
        lastAt = now;
        lastStored = stored;
        if (line.equals(lastLine)) {
            return null; // idle: nothing new to say
        }
        lastLine = line;
        return String.format(Locale.ROOT, "Progress: %.1f documents/s; %s", rate, line);
    }

    private static double count(MeterRegistry registry, String name) {
        return registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }
}
