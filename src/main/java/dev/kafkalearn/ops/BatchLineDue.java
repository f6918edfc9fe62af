package dev.kafkalearn.ops;

import org.apache.camel.Exchange;
import org.apache.camel.Predicate;

/**
 * Whether a stored batch gets its own INFO line: true while the interval's budget of per-batch lines lasts (and uses
 * one up, {@link ProgressSummary#batchLine}). A predicate bean ({@code ref:} in the route) rather than a
 * {@code method:} call, which copies the whole exchange for every batch.
 */
public class BatchLineDue implements Predicate {

    private final ProgressSummary progress;

    public BatchLineDue(ProgressSummary progress) {
        this.progress = progress;
    }

    @Override
    public boolean matches(Exchange batch) {
        return progress.batchLine();
    }
}
