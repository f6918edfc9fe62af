package dev.kafkalearn.sink;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import org.bson.BsonBinaryWriter;
import org.bson.BsonBoolean;
import org.bson.BsonDecimal128;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.BsonWriter;
import org.bson.RawBsonDocument;
import org.bson.io.BasicOutputBuffer;
import org.bson.types.Decimal128;

/**
 * One record's JSON, parsed once and written straight to the BSON bytes the bulk write sends (no tree, no second
 * encoding). Everything MongoDB's driver would refuse for the whole bulk write is refused here, for this record
 * alone and with a reason: a top-level field starting with {@code $}, nesting deeper than Jackson's limit (1 000,
 * below the driver's), a document over MongoDB's 16 MB; and so is what JSON itself forbids (invalid UTF-8, duplicate
 * keys, a number no BSON type holds).
 * <p>
 * The {@code _id}: the record's own {@code _id} when it is a scalar, else its key field (a scalar), else the
 * fallback ({@code topic-partition-offset}); written last when it was not the record's own.
 */
final class JsonToBson {

    /** MongoDB's largest document (BSON bytes). */
    static final int MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

    /**
     * Duplicate keys are found by {@link FieldNames}, not by Jackson's STRICT_DUPLICATE_DETECTION: that one builds a
     * HashSet for every object of every record (a sixth of what the sink's consumer thread allocated in a profile).
     */
    private static final JsonFactory JSON = JsonFactory.builder().build();

    /** A consumer thread's scratch space, reused record after record. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
    /** A buffer grown past this by a large record is not kept for the next ones. */
    private static final int BUFFER_KEPT_BYTES = 1 << 20;

    /** A record as MongoDB stores it, and its _id. */
    record Encoded(RawBsonDocument document, BsonValue id) {
    }

    private final String keyField;

    JsonToBson(String keyField) {
        this.keyField = keyField;
    }

    /** {@code fallbackId}: the record's position, asked for only when neither _id nor the key field is usable. */
    Encoded encode(byte[] json, Supplier<String> fallbackId) throws RejectedRecord {
        if (json == null || json.length == 0) {
            throw new RejectedRecord("empty record: expected a JSON object");
        }
        Scratch scratch = SCRATCH.get();
        Utf8OutputBuffer buffer = scratch.buffer;
        buffer.truncateToPosition(0);
        try (JsonParser parser = JSON.createParser(json); BsonBinaryWriter writer = new BsonBinaryWriter(buffer)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new RejectedRecord("empty record: expected a JSON object");
            }
            if (first != JsonToken.START_OBJECT) {
                throw new RejectedRecord("JSON, but not an object: " + kind(first));
            }
            FieldNames names = scratch.names;
            names.endLevel(0);
            BsonValue id = writeTopLevel(parser, writer, names, fallbackId);
            if (parser.nextToken() != null) {
                throw new RejectedRecord("not valid JSON: more after the object ends");
            }
            if (buffer.getPosition() > MAX_DOCUMENT_BYTES) {
                throw new RejectedRecord("the document is " + buffer.getPosition() + " bytes of BSON, over MongoDB's "
                        + MAX_DOCUMENT_BYTES + "-byte limit");
            }
            return new Encoded(new RawBsonDocument(Arrays.copyOf(buffer.getInternalBuffer(), buffer.getPosition())), id);
        } catch (StreamConstraintsException e) {
            throw new RejectedRecord("not storable: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            String message = e.getOriginalMessage();
            int location = message.indexOf(" (start marker at");
            throw new RejectedRecord("not valid JSON: " + (location < 0 ? message : message.substring(0, location)));
        } catch (IOException | RuntimeException e) {
            // e.g. a field name holding \u0000, which BSON cannot name
            throw new RejectedRecord("not storable as BSON: " + e.getMessage());
        } finally {
            if (scratch.grown()) {
                SCRATCH.remove();
            }
        }
    }

    private BsonValue writeTopLevel(JsonParser parser, BsonWriter writer, FieldNames names, Supplier<String> fallbackId)
            throws IOException, RejectedRecord {
        writer.writeStartDocument();
        BsonValue id = null;
        BsonValue key = null;
        boolean idUnusable = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            names.add(0, name);
            if (name.startsWith("$")) {
                throw new RejectedRecord("a top-level field name starts with '$' (" + name
                        + "), which MongoDB reads as an operator: not storable as a document");
            }
            JsonToken token = parser.nextToken();
            boolean scalar = token.isScalarValue() && token != JsonToken.VALUE_NULL;
            if (name.equals("_id")) {
                if (scalar) {
                    id = scalar(parser, token);
                    writer.writeName(name);
                    write(writer, id);
                } else {
                    // a null _id falls back to the key field; a document or array _id to the record's position
                    idUnusable = token != JsonToken.VALUE_NULL;
                    parser.skipChildren();
                }
            } else if (name.equals(keyField) && scalar) {
                key = scalar(parser, token);
                writer.writeName(name);
                write(writer, key);
            } else {
                writer.writeName(name);
                writeValue(parser, token, writer, names);
            }
        }
        if (id == null) {
            id = key != null && !idUnusable ? key : new BsonString(fallbackId.get());
            writer.writeName("_id");
            write(writer, id);
        }
        writer.writeEndDocument();
        return id;
    }

    private static void writeValue(JsonParser parser, JsonToken token, BsonWriter writer, FieldNames names)
            throws IOException, RejectedRecord {
        switch (token) {
            case START_OBJECT -> {
                writer.writeStartDocument();
                int level = names.size();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    names.add(level, name);
                    writer.writeName(name);
                    writeValue(parser, parser.nextToken(), writer, names);
                }
                names.endLevel(level);
                writer.writeEndDocument();
            }
            case START_ARRAY -> {
                writer.writeStartArray();
                for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
                    writeValue(parser, item, writer, names);
                }
                writer.writeEndArray();
            }
            case VALUE_STRING -> writer.writeString(parser.getText());
            case VALUE_TRUE -> writer.writeBoolean(true);
            case VALUE_FALSE -> writer.writeBoolean(false);
            case VALUE_NULL -> writer.writeNull();
            default -> write(writer, scalar(parser, token));
        }
    }

    /** A JSON scalar as the BSON value Document.parse gives it: int32, else int64, else double; decimal128 beyond. */
    private static BsonValue scalar(JsonParser parser, JsonToken token) throws IOException, RejectedRecord {
        switch (token) {
            case VALUE_STRING:
                return new BsonString(parser.getText());
            case VALUE_TRUE:
                return BsonBoolean.TRUE;
            case VALUE_FALSE:
                return BsonBoolean.FALSE;
            case VALUE_NUMBER_INT:
                switch (parser.getNumberType()) {
                    case INT:
                        return new BsonInt32(parser.getIntValue());
                    case LONG:
                        return new BsonInt64(parser.getLongValue());
                    default:
                        return decimal(new BigDecimal(parser.getBigIntegerValue()), parser.getText());
                }
            case VALUE_NUMBER_FLOAT:
                double value = parser.getDoubleValue();
                if (Double.isInfinite(value)) {
                    return decimal(parser.getDecimalValue(), parser.getText());
                }
                return new BsonDouble(value);
            default:
                throw new RejectedRecord("not valid JSON: unexpected " + token);
        }
    }

    private static BsonValue decimal(BigDecimal value, String text) throws RejectedRecord {
        try {
            return new BsonDecimal128(new Decimal128(value));
        } catch (NumberFormatException e) {
            throw new RejectedRecord("a number beyond what MongoDB can store (int64, double or decimal128): "
                    + (text.length() > 40 ? text.substring(0, 40) + "…" : text));
        }
    }

    private static void write(BsonWriter writer, BsonValue value) {
        switch (value.getBsonType()) {
            case STRING -> writer.writeString(value.asString().getValue());
            case INT32 -> writer.writeInt32(value.asInt32().getValue());
            case INT64 -> writer.writeInt64(value.asInt64().getValue());
            case DOUBLE -> writer.writeDouble(value.asDouble().getValue());
            case BOOLEAN -> writer.writeBoolean(value.asBoolean().getValue());
            case DECIMAL128 -> writer.writeDecimal128(value.asDecimal128().getValue());
            default -> throw new IllegalArgumentException("not a scalar: " + value);
        }
    }

    private static String kind(JsonToken token) {
        return switch (token) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.toString();
        };
    }

    /**
     * The field names of the objects being written, innermost last, to refuse a record with a duplicate key (as
     * Jackson's STRICT_DUPLICATE_DETECTION did, with its message). Objects have few fields: a scan of the level's
     * names (Jackson hands out one String instance per distinct name) is cheaper than a set; a level past
     * {@link #SCANNED} names gets a set.
     */
    static final class FieldNames {

        private static final int SCANNED = 32;
        /** A list grown past this by a record of many fields is not kept for the next ones. */
        private static final int KEPT = 4096;
        private String[] names = new String[32];
        private int size;
        /** The sets of levels past SCANNED names, by the index of their first name. */
        private Map<Integer, Set<String>> large;

        int size() {
            return size;
        }

        /** Adds a name of the level whose first name is at index {@code level}; refuses one it holds already. */
        void add(int level, String name) throws RejectedRecord {
            int count = size - level;
            if (count < SCANNED) {
                for (int i = level; i < size; i++) {
                    if (names[i].equals(name)) {
                        throw duplicate(name);
                    }
                }
            } else {
                if (large == null) {
                    large = new HashMap<>();
                }
                Set<String> set = large.computeIfAbsent(level, l -> new HashSet<>(Arrays.asList(names).subList(l, size)));
                if (!set.add(name)) {
                    throw duplicate(name);
                }
            }
            if (size == names.length) {
                names = Arrays.copyOf(names, size * 2);
            }
            names[size++] = name;
        }

        /** The object whose first name is at index {@code level} is written (0: the record): its names go. */
        void endLevel(int level) {
            if (large != null) {
                large.keySet().removeIf(l -> l >= level);
                if (large.isEmpty()) {
                    large = null; // the list is kept per thread: no scan of an empty map at every later object
                }
            }
            Arrays.fill(names, level, size, null);
            size = level;
        }

        private static RejectedRecord duplicate(String name) {
            return new RejectedRecord("not valid JSON: Duplicate field '" + name + "'");
        }
    }

    /**
     * What encoding a record needs besides the record, kept per consumer thread: the BSON buffer (each document gets
     * an exact copy of its bytes) and the field-name list, both emptied for each record.
     */
    private static final class Scratch {
        final Utf8OutputBuffer buffer = new Utf8OutputBuffer(8192);
        final FieldNames names = new FieldNames();

        /** Grown by a large record past what is worth keeping for the next ones. */
        boolean grown() {
            return buffer.getInternalBuffer().length > BUFFER_KEPT_BYTES || names.names.length > FieldNames.KEPT;
        }
    }

    /**
     * BSON's output buffer, writing each string and field name as UTF-8 through a scratch array of its own instead of
     * the driver's loop of one {@code write} per byte (that loop was the consumer thread's largest single cost in a
     * profile of the sink), and without a new byte array per string for text that is ASCII. Strings with surrogate
     * characters take the driver's loop, so every string is written as before.
     */
    private static final class Utf8OutputBuffer extends BasicOutputBuffer {

        private byte[] scratch = new byte[256];

        Utf8OutputBuffer(int initialSize) {
            super(initialSize);
        }

        @Override
        protected int writeCharacters(String text, boolean checkForNullCharacters) {
            int length = text.length();
            if (length > scratch.length && length <= BUFFER_KEPT_BYTES) {
                scratch = new byte[Math.max(length, scratch.length * 2)];
            }
            if (length <= scratch.length) {
                byte[] ascii = scratch;
                int i = 0;
                for (; i < length; i++) {
                    char c = text.charAt(i);
                    if (c >= 0x80 || c == 0) {
                        break;
                    }
                    ascii[i] = (byte) c;
                }
                if (i == length) {
                    writeBytes(ascii, 0, length);
                    writeByte(0);
                    return length + 1;
                }
            }
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            if (bytes.length != text.length() && hasSurrogates(text)) {
                return super.writeCharacters(text, checkForNullCharacters);
            }
            if (checkForNullCharacters) {
                for (byte b : bytes) {
                    if (b == 0) {
                        return super.writeCharacters(text, true); // the driver's own refusal
                    }
                }
            }
            writeBytes(bytes, 0, bytes.length);
            writeByte(0);
            return bytes.length + 1;
        }

        private static boolean hasSurrogates(String text) {
            for (int i = 0; i < text.length(); i++) {
                if (Character.isSurrogate(text.charAt(i))) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The Java value Document.get("_id") gives for this _id (what a reader of the collection sees). */
    static Object javaValue(BsonValue id) {
        return switch (id.getBsonType()) {
            case STRING -> id.asString().getValue();
            case INT32 -> id.asInt32().getValue();
            case INT64 -> id.asInt64().getValue();
            case DOUBLE -> id.asDouble().getValue();
            case BOOLEAN -> id.asBoolean().getValue();
            case DECIMAL128 -> id.asDecimal128().getValue();
            default -> id;
        };
    }
}
