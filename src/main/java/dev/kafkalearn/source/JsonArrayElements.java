package dev.kafkalearn.source;

import dev.kafkalearn.settings.Secrets;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.NoSuchElementException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Streams the elements of a JSON array, one compact JSON text per element, so that the splitter never holds the
 * whole array in memory. A body that is not JSON, or JSON that is not an array, fails before the first element
 * with a message that says which.
 */
public class JsonArrayElements {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** How many elements the array has, read the same streaming way. */
    public long count(InputStream body) throws IOException {
        long count = 0;
        for (Iterator<String> it = elements(body); it.hasNext(); it.next()) {
            count++;
        }
        return count;
    }

    public Iterator<String> elements(InputStream body) throws IOException {
        JsonParser parser = MAPPER.createParser(body);
        JsonToken first;
        try {
            first = parser.nextToken();
        } catch (IOException e) {
            parser.close();
            throw new SourceFormatException("the source did not answer with JSON: " + Secrets.firstLine(e.getMessage()), e);
        }
        if (first != JsonToken.START_ARRAY) {
            parser.close();
            throw new SourceFormatException("the source answered " + describe(first) + ", not a JSON array");
        }
        return new Iterator<>() {
            private JsonToken next = advance();

            private JsonToken advance() {
                try {
                    JsonToken token = parser.nextToken();
                    if (token == JsonToken.END_ARRAY || token == null) {
                        parser.close();
                    }
                    return token;
                } catch (IOException e) {
                    throw new SourceFormatException("the source's JSON array is malformed: " + Secrets.firstLine(e.getMessage()), e);
                }
            }

            @Override
            public boolean hasNext() {
                if (next == null) {
                    throw new SourceFormatException("the source's JSON array ended early (truncated body?)");
                }
                return next != JsonToken.END_ARRAY;
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                try {
                    // token by token into compact text: no tree per element
                    SegmentedStringWriter text = new SegmentedStringWriter(MAPPER.getFactory()._getBufferRecycler());
                    try (JsonGenerator generator = MAPPER.getFactory().createGenerator(text)) {
                        generator.copyCurrentStructure(parser);
                    }
                    next = advance();
                    return text.getAndClear();
                } catch (IOException e) {
                    throw new SourceFormatException("the source's JSON array is malformed: " + Secrets.firstLine(e.getMessage()), e);
                }
            }
        };
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
}
