package dev.kafkalearn.source;

import dev.kafkalearn.settings.Secrets;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.NoSuchElementException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams the elements of the source's JSON array in one pass over its bytes ({@link ElementScanner}): where each
 * element begins and ends, its key on the way ({@link RecordKey}), its bytes less the whitespace between tokens as
 * what is sent. No tree, no second parse, and never the whole array in memory.
 * <p>
 * What can go wrong, and what it means: a body that is not JSON, JSON that is not an array, or an array that is not
 * well-formed JSON is the source's format ({@link SourceFormatException}: retrying will not help); an answer that
 * breaks off (the connection fails or stalls mid-body, or the body ends before its array does) is a failed read
 * ({@link SourceReadException}: the page is fetched again).
 */
public class JsonArrayElements {

    private static final Logger LOG = LoggerFactory.getLogger("source-to-kafka");

    /** How many elements the array has, read the same streaming way. */
    public long count(InputStream body) {
        long count = 0;
        for (Iterator<SourceElement> it = elements(body, null); it.hasNext(); it.next()) {
            count++;
        }
        return count;
    }

    /** The array's elements, each with its key field's value ({@code keyField} null: no key). */
    public Iterator<SourceElement> elements(InputStream body, String keyField) {
        return new Elements(body, keyField == null ? null : new RecordKey(keyField));
    }

    private static final class Elements implements Iterator<SourceElement> {
        private final InputStream body;
        private final ElementScanner scanner;
        private boolean failed;

        Elements(InputStream body, RecordKey key) {
            this.body = body;
            this.scanner = new ElementScanner(body, key);
            try {
                if (!scanner.start()) {
                    trailing();
                }
            } catch (IOException | RuntimeException e) {
                throw failure(e);
            }
        }

        /** What follows the array is not sent: said once, so that a source sending two arrays is noticed. */
        private void trailing() throws IOException {
            try {
                if (scanner.trailing()) {
                    LOG.warn("The source's answer goes on after its JSON array; what follows the array is ignored");
                }
            } finally {
                close();
            }
        }

        @Override
        public boolean hasNext() {
            // after a failure, nothing more: the splitter asks again when it releases what it holds, and a second
            // throw would be its warning with a stack trace
            return scanner.more() && !failed;
        }

        @Override
        public SourceElement next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            try {
                SourceElement element = scanner.element();
                if (!scanner.more()) {
                    trailing();
                }
                return element;
            } catch (IOException | RuntimeException e) {
                throw failure(e);
            }
        }

        private RuntimeException failure(Exception e) {
            failed = true;
            close();
            if (e instanceof IOException io) {
                return new SourceReadException(io);
            }
            return (RuntimeException) e;
        }

        private void close() {
            try {
                body.close();
            } catch (IOException e) {
                // the answer is given up on either way
            }
        }
    }

    /** The source answered, but not with a JSON array: retrying will not help. */
    public static class SourceFormatException extends RuntimeException {
        public SourceFormatException(String message) {
            super(message);
        }

        public SourceFormatException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The answer broke off (connection failed or stalled mid-body, body cut short): fetching it again may help. */
    public static class SourceReadException extends RuntimeException {
        public SourceReadException(String message) {
            super(message);
        }

        public SourceReadException(String message, Throwable cause) {
            super(message, cause);
        }

        SourceReadException(IOException cause) {
            super("the answer broke off: " + Secrets.firstLine(String.valueOf(cause.getMessage())), cause);
        }
    }
}
