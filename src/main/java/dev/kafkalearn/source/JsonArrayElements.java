package dev.kafkalearn.source;

import dev.kafkalearn.settings.Secrets;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.NoSuchElementException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams the elements of the source's JSON array in one pass over its bytes: Jackson's streaming parser finds where
 * each element begins and ends and reads its key on the way ({@link RecordKey}); the element's own bytes are what is
 * sent. No tree, no second parse, and never the whole array in memory.
 * <p>
 * What can go wrong, and what it means: a body that is not JSON, JSON that is not an array, or an array that is not
 * well-formed JSON is the source's format ({@link SourceFormatException}: retrying will not help); an answer that
 * breaks off (the connection fails or stalls mid-body, or the body ends before its array does) is a failed read
 * ({@link SourceReadException}: the page is fetched again).
 */
public class JsonArrayElements {

    private static final Logger LOG = LoggerFactory.getLogger("source-to-kafka");
    private static final JsonFactory JSON = new JsonFactory();

    /** How many elements the array has, read the same streaming way. */
    public long count(InputStream body) {
        long count = 0;
        for (Iterator<SourceElement> it = elements(body, null); it.hasNext(); it.next()) {
            count++;
        }
        return count;
    }

    /** The array's elements, each with its key field's value ({@code keyField} null: no key, nothing copied). */
    public Iterator<SourceElement> elements(InputStream body, String keyField) {
        return new Elements(body, keyField == null ? null : new RecordKey(keyField));
    }

    private static final class Elements implements Iterator<SourceElement> {
        private final AnswerTape tape;
        private final JsonParser parser;
        private final RecordKey key;
        private JsonToken next;
        private boolean failed;

        Elements(InputStream body, RecordKey key) {
            this.tape = new AnswerTape(body);
            this.key = key;
            JsonToken first;
            try {
                parser = JSON.createParser(tape);
                first = parser.nextToken();
            } catch (JsonProcessingException e) {
                close();
                throw new SourceFormatException("the source did not answer with JSON: " + Secrets.firstLine(e.getOriginalMessage()), e);
            } catch (IOException e) {
                close();
                throw new SourceReadException(e);
            }
            if (first != JsonToken.START_ARRAY) {
                close();
                throw new SourceFormatException("the source answered " + describe(first) + ", not a JSON array");
            }
            next = advance();
        }

        private JsonToken advance() {
            try {
                JsonToken token = parser.nextToken();
                if (token == JsonToken.END_ARRAY) {
                    trailing();
                }
                if (token == null) {
                    failed = true;
                    throw new SourceReadException("the answer ended before its JSON array did (truncated)");
                }
                return token;
            } catch (IOException e) {
                throw failure(e);
            }
        }

        /** What follows the array is not sent: said once, so that a source sending two arrays is noticed. */
        private void trailing() throws IOException {
            try {
                if (parser.nextToken() != null) {
                    LOG.warn("The source's answer goes on after its JSON array; what follows the array is ignored");
                }
            } catch (JsonProcessingException e) {
                LOG.warn("The source's answer goes on after its JSON array ({}); what follows the array is ignored",
                        Secrets.firstLine(e.getOriginalMessage()));
            } finally {
                close();
            }
        }

        @Override
        public boolean hasNext() {
            // after a failure, nothing more: the splitter asks again when it releases what it holds, and a second
            // throw would be its warning with a stack trace
            return next != JsonToken.END_ARRAY && !failed;
        }

        @Override
        public SourceElement next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            try {
                long start = parser.currentTokenLocation().getByteOffset();
                String text = key == null ? skip() : key.read(parser, next);
                if (next == JsonToken.VALUE_STRING) {
                    parser.finishToken();
                }
                long end = parser.currentLocation().getByteOffset();
                if (start < 0 || end < 0) {
                    // offsets are bytes of UTF-8 (Jackson reads UTF-16 and UTF-32 too, without them)
                    failed = true;
                    close();
                    throw new SourceFormatException("the source's answer is not UTF-8 JSON");
                }
                SourceElement element = new SourceElement(key == null ? null : tape.compactCopy(start, end), text);
                tape.keepFrom(end);
                next = advance();
                return element;
            } catch (IOException e) {
                throw failure(e);
            }
        }

        private String skip() throws IOException {
            parser.skipChildren();
            return null;
        }

        private RuntimeException failure(IOException e) {
            failed = true;
            close();
            if (e instanceof JsonEOFException || e instanceof JsonProcessingException json
                    && json.getLocation() != null && tape.endsAt(json.getLocation().getByteOffset())) {
                return new SourceReadException("the answer ended before its JSON array did (truncated): "
                        + Secrets.firstLine(e.getMessage()), e);
            }
            if (e instanceof JsonProcessingException json) {
                return new SourceFormatException("the source's JSON array is malformed: "
                        + Secrets.firstLine(json.getOriginalMessage()), e);
            }
            return new SourceReadException(e);
        }

        private void close() {
            try {
                if (parser != null) {
                    parser.close();
                }
                tape.close();
            } catch (IOException e) {
                // the answer is given up on either way
            }
        }
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "an empty body";
        }
        return switch (token) {
            case START_OBJECT -> "a JSON object";
            case VALUE_STRING -> "a JSON string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a JSON number";
            case VALUE_TRUE, VALUE_FALSE -> "a JSON boolean";
            case VALUE_NULL -> "JSON null";
            default -> "JSON " + token;
        };
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
