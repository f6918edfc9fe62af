package dev.kafkalearn.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An element's record key (setting {@code source.key-field}): which value of the element it is, told to the
 * {@link ElementScanner} as the element's bytes go by, and that value's text. The text is what Jackson's tree gives: a
 * string's value, a number as Jackson prints it (1.50 -> "1.5"), true/false, an object or array as compact JSON; null
 * (no key) for JSON null or a missing field.
 * <ul>
 * <li>{@code id}: the first field of that name in an element that is an object;</li>
 * <li>{@code address.city}: a JSON Pointer path ({@code /address/city}; a number picks an array's element), the last
 * of duplicate fields counting, as in Jackson's tree.</li>
 * </ul>
 */
final class RecordKey {

    /** What a field or an array element is to the key: not on its path, the key's value, or a container holding it. */
    enum Match { NO, VALUE, INSIDE }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final boolean path;
    /** Each level's field name, as UTF-8 bytes. */
    private final byte[][] names;
    /** Each level's array index (-1: the level is not a number). */
    private final int[] indexes;

    RecordKey(String field) {
        path = field.indexOf('.') >= 0;
        if (!path) {
            names = new byte[][] {field.getBytes(StandardCharsets.UTF_8)};
            indexes = new int[] {-1};
            return;
        }
        List<byte[]> levels = new ArrayList<>();
        List<Integer> numbers = new ArrayList<>();
        for (JsonPointer p = JsonPointer.compile("/" + field.replace('.', '/')); !p.matches(); p = p.tail()) {
            levels.add(p.getMatchingProperty().getBytes(StandardCharsets.UTF_8));
            numbers.add(p.getMatchingIndex());
        }
        names = levels.toArray(byte[][]::new);
        indexes = numbers.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A plain field name: the first of duplicate fields counts (a path: the last). */
    boolean firstWins() {
        return !path;
    }

    /** The field named json[from..to) (as written: escaped, with escapes) of an object at this level. */
    Match field(int level, byte[] json, int from, int to, boolean escaped) {
        boolean same = escaped ? Arrays.equals(names[level], decoded(json, from, to))
                : Arrays.equals(names[level], 0, names[level].length, json, from, to);
        return same ? at(level) : Match.NO;
    }

    /** The element at this index of an array at this level (a plain field name never picks one). */
    Match element(int level, int index) {
        return path && indexes[level] == index ? at(level) : Match.NO;
    }

    private Match at(int level) {
        return level == names.length - 1 ? Match.VALUE : Match.INSIDE;
    }

    /** The key's text from its value's bytes json[from..to) (compact JSON). */
    String text(byte[] json, int from, int to) {
        switch (json[from]) {
            case '"':
                if (!escaped(json, from, to)) {
                    return new String(json, from + 1, to - from - 2, StandardCharsets.UTF_8);
                }
                break;
            case 't':
                return "true";
            case 'f':
                return "false";
            case 'n':
                return null;
            case '{', '[':
                break;
            default:
                // an integer prints as written (JSON allows no leading zeros), but for -0
                if (integer(json, from, to) && !(to - from == 2 && json[from] == '-' && json[from + 1] == '0')) {
                    return new String(json, from, to - from, StandardCharsets.US_ASCII);
                }
        }
        // an escaped string, a fraction, an object or an array as key: rare, so Jackson's tree prints it
        try {
            JsonNode node = MAPPER.readTree(json, from, to - from);
            return node.isValueNode() ? node.asText() : node.toString();
        } catch (IOException e) {
            throw new IllegalStateException("the scanner passed a value that is not JSON", e);
        }
    }

    private static boolean integer(byte[] json, int from, int to) {
        for (int i = json[from] == '-' ? from + 1 : from; i < to; i++) {
            if (json[i] < '0' || json[i] > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean escaped(byte[] json, int from, int to) {
        for (int i = from; i < to; i++) {
            if (json[i] == '\\') {
                return true;
            }
        }
        return false;
    }

    /** A field name with escapes, as Jackson decodes it (json[from - 1] and json[to] are its quotes). */
    private static byte[] decoded(byte[] json, int from, int to) {
        try (JsonParser parser = MAPPER.getFactory().createParser(json, from - 1, to - from + 2)) {
            parser.nextToken();
            return parser.getText().getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("the scanner passed a name that is not JSON", e);
        }
    }
}
