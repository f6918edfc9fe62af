package dev.kafkalearn.source;

import java.io.Closeable;
import java.io.IOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * An iterator read one item ahead on a thread of its own: while the caller sends group k to Kafka, group k+1 is read
 * from the source's answer and split into records. One reader and one caller, a queue of one between them: the items
 * come in the source's order, and a failure of the reader (the answer broke off, it is not JSON) is thrown to the
 * caller at the place in the sequence where it happened, after the items read before it.
 * <p>
 * The caller learns that there is a next item as soon as the reader does, before that item is read: Camel's splitter asks
 * hasNext() before it sends the item it has, and reading the next group may wait for Kafka to acknowledge that one
 * (SOURCE_IN_FLIGHT, pacing).
 * <p>
 * Without it the split's one thread (sourceSend) both read an element's bytes and handed the record to the producer:
 * reading took about 40 % of that thread in a profile of HTTP → Kafka, time the producer waited for.
 */
final class ReadAhead<T> implements Iterator<T>, Closeable {

    /** What the reader hands over after the last item. */
    private static final CompletableFuture<Object> END = CompletableFuture.completedFuture(null);

    private final Iterator<T> source;
    private final Closeable closeSource;
    /** One slot per item, handed over before the item is read, filled once it is (or failed). */
    private final BlockingQueue<CompletableFuture<Object>> slots = new ArrayBlockingQueue<>(1);
    private final Thread reader;
    private CompletableFuture<Object> next;
    private boolean ended;
    private volatile boolean closed;

    <S extends Iterator<T> & Closeable> ReadAhead(S source, String threadName) {
        this.source = source;
        this.closeSource = source;
        this.reader = new Thread(this::read, threadName);
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try {
            while (!closed) {
                CompletableFuture<Object> slot = new CompletableFuture<>();
                boolean handed = false;
                try {
                    if (!source.hasNext()) {
                        slots.put(END);
                        return;
                    }
                    slots.put(slot);
                    handed = true;
                    slot.complete(source.next());
                } catch (InterruptedException stopped) {
                    return;
                } catch (Throwable e) {
                    // in its place in the sequence, and the last: the caller throws it, then sees no more items
                    slot.completeExceptionally(e);
                    if (!handed) {
                        slots.put(slot);
                    }
                    return;
                }
            }
        } catch (InterruptedException stopped) {
            // closed: the caller takes nothing more
        }
    }

    @Override
    public boolean hasNext() {
        if (ended || closed) {
            return false;
        }
        if (next == null) {
            try {
                next = slots.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading the source", e);
            }
        }
        ended = next == END;
        return !ended;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        CompletableFuture<Object> slot = next;
        next = null;
        try {
            return (T) slot.get();
        } catch (ExecutionException e) {
            // the sequence ends with it (the splitter asks hasNext() again when it releases what it holds)
            ended = true;
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the source", e);
        }
    }

    /** The splitter closes its iterator when done or failed: the reader stops and the source's answer is released. */
    @Override
    public void close() throws IOException {
        closed = true;
        reader.interrupt();
        closeSource.close();
    }
}
