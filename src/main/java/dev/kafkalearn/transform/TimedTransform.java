package dev.kafkalearn.transform;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A jq transform run over a batch of records (a sink batch, a source group) with a time limit per record, so that no
 * record can hold the pipeline: an expression that never ends on one record (an {@code until} whose condition that
 * record never meets, a {@code reduce} over a huge range) fails that record after the limit, and the batch goes on
 * with the next one.
 * <p>
 * jackson-jq cannot be told to stop: it has no step or time budget and never looks at interrupts. So the records are
 * transformed on a thread of this class's own, one after the other, while the caller watches the current record's
 * time; a record over the limit leaves its thread behind (stopped where the JVM still allows it, Java 17-19; on later
 * JVMs it runs on, and a WARN line says so) and a new thread takes the rest. One hand-off per batch, not per record.
 */
public final class TimedTransform {

    private static final Logger LOG = LoggerFactory.getLogger(TimedTransform.class);

    /** How the name of a worker thread ends once it is left behind on a record over the limit. */
    public static final String ABANDONED = " (over its time limit)";
    /** A dropped record's result (null means "not yet"). */
    private static final Object DROPPED = new Object();

    private final JqTransform transform;
    private final long limitNanos;
    private ExecutorService worker;

    public TimedTransform(JqTransform transform, long limitMs) {
        this.transform = transform;
        this.limitNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, limitMs));
        this.worker = newWorker();
    }

    /** What each value became: its JSON bytes, null (dropped), or a {@link JqTransform.Failed} with the reason. */
    public synchronized Object[] applyAll(List<byte[]> values) {
        // filled once per record, by whichever comes first: the worker's result or the caller's time-out
        AtomicReferenceArray<Object> results = new AtomicReferenceArray<>(values.size());
        int from = 0;
        while (from < values.size()) {
            Progress progress = new Progress(from);
            int first = from;
            Future<?> run = worker.submit(() -> {
                progress.thread = Thread.currentThread();
                for (int i = first; i < values.size() && !progress.abandoned; i++) {
                    progress.started = System.nanoTime();
                    progress.index = i;
                    results.compareAndSet(i, null, evaluate(values.get(i)));
                }
                progress.index = values.size();
            });
            from = await(run, progress, values.size(), results);
        }
        Object[] out = new Object[values.size()];
        for (int i = 0; i < out.length; i++) {
            Object result = results.get(i);
            out[i] = result == DROPPED ? null : result;
        }
        return out;
    }

    /** Waits for the run to end, or for one record to pass the limit; the index to go on from. */
    private int await(Future<?> run, Progress progress, int size, AtomicReferenceArray<Object> results) {
        while (true) {
            try {
                run.get(TimeUnit.NANOSECONDS.toMillis(limitNanos) / 4 + 1, TimeUnit.MILLISECONDS);
                return size;
            } catch (TimeoutException waiting) {
                int index = progress.index;
                Thread thread = progress.thread;
                if (thread != null && index < size && System.nanoTime() - progress.started > limitNanos) {
                    // the worker takes no record after this one; this one fails, unless it just ended after all
                    progress.abandoned = true;
                    if (results.compareAndSet(index, null, new JqTransform.Failed(transform.setting()
                            + ": did not finish within " + TimeUnit.NANOSECONDS.toMillis(limitNanos) + " ms"))) {
                        abandon(thread);
                    }
                    return index + 1;
                }
            } catch (ExecutionException e) {
                // evaluate catches what jq throws; what is left is the worker's own failure
                throw new IllegalStateException(transform.setting() + ": " + e.getCause(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(transform.setting() + ": interrupted while transforming", e);
            }
        }
    }

    private Object evaluate(byte[] value) {
        try {
            byte[] json = transform.apply(value);
            return json == null ? DROPPED : json;
        } catch (JqTransform.Failed e) {
            return e;
        }
    }

    @SuppressWarnings({"deprecation", "removal"})
    private void abandon(Thread stuck) {
        worker.shutdownNow();
        worker = newWorker();
        // named for thread dumps (and for the test that checks it is gone where it can be stopped)
        stuck.setName(stuck.getName() + ABANDONED);
        try {
            stuck.stop();
        } catch (UnsupportedOperationException notOnThisJvm) {
            LOG.warn("{} ran over its time limit and cannot be stopped on this JVM: its evaluation goes on on thread "
                    + "'{}', using CPU, until the pipeline restarts", transform.setting(), stuck.getName());
        }
    }

    private ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, transform.setting());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Which record the worker is at, and since when (written by the worker, read by the caller). */
    private static final class Progress {
        volatile int index;
        volatile long started = System.nanoTime();
        volatile Thread thread;
        volatile boolean abandoned;

        Progress(int index) {
            this.index = index;
        }
    }
}
