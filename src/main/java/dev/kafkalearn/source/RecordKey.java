package dev.kafkalearn.source;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An element's record key (setting {@code source.key-field}), read while the element's tokens go by: no tree, no second
 * parse. The key's text is what Jackson's tree gives: a string's value, a number as Jackson prints it (1.50 -> "1.5"),
 * true/false, an object or array as compact JSON; null (no key) for JSON null or a missing field.
 * <ul>
 * <li>{@code id}: the first field of that name in an element that is an object;</li>
 * <li>{@code address.city}: a JSON Pointer path ({@code /address/city}; a number picks an array's element), the last
 * of duplicate fields counting, as in Jackson's tree.</li>
 * </ul>
 */
final class RecordKey {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String field;
    private final String[] path;
    private final int[] indexes;

    RecordKey(String field) {
        this.field = field;
        if (field.indexOf('.') < 0) {
            path = null;
            indexes = null;
            return;
        }
        List<String> names = new ArrayList<>();
        List<Integer> numbers = new ArrayList<>();
        for (JsonPointer p = JsonPointer.compile("/" + field.replace('.', '/')); !p.matches(); p = p.tail()) {
            names.add(p.getMatchingProperty());
            numbers.add(p.getMatchingIndex());
        }
        path = names.toArray(String[]::new);
        indexes = numbers.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Reads the element whose first token the parser is on, to its last token; returns its key or null. */
    String read(JsonParser parser, JsonToken first) throws IOException {
        if (path != null) {
            return find(parser, first, 0);
        }
        if (first != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return null;
        }
        String key = null;
        boolean found = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            boolean match = !found && field.equals(parser.currentName());
            JsonToken value = parser.nextToken();
            if (match) {
                found = true;
                key = text(parser, value);
            } else {
                parser.skipChildren();
            }
        }
        return key;
    }

    /** Below the container the parser is on: the value at path[level..], reading the container to its end. */
    private String find(JsonParser parser, JsonToken token, int level) throws IOException {
        boolean last = level == path.length - 1;
        String key = null;
        if (token == JsonToken.START_OBJECT) {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean match = path[level].equals(parser.currentName());
                JsonToken value = parser.nextToken();
                if (match) {
                    key = last ? text(parser, value) : find(parser, value, level + 1);
                } else {
                    parser.skipChildren();
                }
            }
        } else if (token == JsonToken.START_ARRAY) {
            int index = 0;
            for (JsonToken value = parser.nextToken(); value != JsonToken.END_ARRAY && value != null;
                 value = parser.nextToken(), index++) {
                if (index == indexes[level]) {
                    key = last ? text(parser, value) : find(parser, value, level + 1);
                } else {
                    parser.skipChildren();
                }
            }
        }
        return key;
    }

    /** The value the parser is on as key text (consumed to its end), as Jackson's tree node would print it. */
    private static String text(JsonParser parser, JsonToken value) throws IOException {
        switch (value) {
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
                return switch (parser.getNumberType()) {
                    case INT -> Integer.toString(parser.getIntValue());
                    case LONG -> Long.toString(parser.getLongValue());
                    default -> parser.getBigIntegerValue().toString();
                };
            case VALUE_TRUE:
                return "true";
            case VALUE_FALSE:
                return "false";
            case VALUE_NULL:
                return null;
            default:
                // a fraction, an object or an array as key: rare, so Jackson's tree prints it
                JsonNode node = MAPPER.readTree(parser);
                if (node == null || node.isMissingNode() || node.isNull()) {
                    return null;
                }
                return node.isValueNode() ? node.asText() : node.toString();
        }
    }
}
