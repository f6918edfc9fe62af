package dev.kafkalearn.sink;

import org.apache.camel.Exchange;
import org.apache.camel.Predicate;

/**
 * The writer's first question of a batch: was a batch before it abandoned (a stop ended its retries)? Then this one's
 * offsets can never be committed either ({@link CommitOffsets#behindAbandoned}). A predicate bean ({@code ref:} in the
 * route) rather than a {@code method:} call: the bean language copies the whole exchange and looks the method up again
 * for every batch (this predicate and {@code BatchLineDue} as such calls: 28 of the writer's 126 samples in a profile at
 * 1 000 records/s).
 */
public class BehindAbandoned implements Predicate {

    @Override
    public boolean matches(Exchange batch) {
        return CommitOffsets.behindAbandoned(batch);
    }
}
