package dev.kafkalearn.source;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.kafkalearn.source.JsonArrayElements.SourceFormatException;
import dev.kafkalearn.source.JsonArrayElements.SourceReadException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one-pass reading of the source's array: each element's bytes and key, and what a broken answer is. Jackson is the
 * oracle: the key its tree gives, the compact JSON it writes, the arrays it refuses.
 */
class JsonArrayElementsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final String[] ELEMENTS = {
        "{\"id\": 1, \"name\": \"Ann\"}",
        "{\"name\": \"Bob\", \"id\": \"b-2\"}",
        "{\"id\": -0}",
        "{\"id\": 12345678901}",
        "{\"id\": 123456789012345678901234567890}",
        "{\"id\": 1.50}",
        "{\"id\": 1e2}",
        "{\"id\": true}",
        "{\"id\": null}",
        "{\"id\": {\"b\": [1, 2.0], \"a\": \"x\"}}",
        "{\"id\": [1, {\"a\": 2}]}",
        "{\"id\": \"\\u00e9\\n\\\"q\\\"\"}",
        "{\"id\": 1, \"id\": 2}",
        "{\"other\": 1}",
        "{\"nested\": {\"id\": 5}}",
        "[1, 2]",
        "\"a string\"",
        "42",
        "{\"address\": {\"city\": \"Gwenborough\", \"zip\": 123}, \"address\": {\"zip\": 9}}",
        "{\"address\": {\"city\": \"Wisokyburgh\"}}",
        "{\"address\": \"flat\"}",
        "{\"items\": [{\"sku\": \"a\"}, {\"sku\": \"b\"}]}",
        "{\"a\": {\"b\": {\"c\": 7}}, \"x\": [[], {}, \"\"]}",
        "  {  \"id\" :\t\"with  spaces\" ,\n \"v\" : [ 1 , 2 ] }  ",
        "{\"i\\u0064\": 7, \"addr\\u0065ss\": {\"city\": \"Escaped\"}}",
    };

    private static final String[] KEY_FIELDS = {"id", "name", "address.city", "address.zip", "items.1.sku",
        "items.0", "a.b.c", "a.b", "nested.id", "0", "x.2"};

    @Test
    void keysAreThoseTheTreeBasedReadingGave() throws IOException {
        String array = "[" + String.join(",\n", ELEMENTS) + "]";
        for (String field : KEY_FIELDS) {
            List<SourceElement> read = read(array, field);
            assertEquals(ELEMENTS.length, read.size());
            for (int i = 0; i < ELEMENTS.length; i++) {
                String before = keyOf(regenerated(ELEMENTS[i]), field);
                assertEquals(before, read.get(i).key(), "key " + field + " of " + ELEMENTS[i]);
            }
        }
    }

    @Test
    void eachElementIsItsOwnBytesWithoutTheWhitespaceBetweenTokens() throws IOException {
        String array = "\uFEFF[ " + String.join(" ,\r\n\t", ELEMENTS) + " ]\n";
        List<SourceElement> read = read(array, "id");
        for (int i = 0; i < ELEMENTS.length; i++) {
            String json = new String(read.get(i).json(), StandardCharsets.UTF_8);
            assertEquals(MAPPER.readTree(ELEMENTS[i]), MAPPER.readTree(json), "the same JSON: " + json);
            assertTrue(!json.contains(" ") || json.contains("with  spaces") || json.contains("a string"), "compact: " + json);
        }
        // numbers and escapes as the source wrote them (a tree would print 1.50 as 1.5 and 1e2 as 100.0)
        assertEquals("{\"id\":1.50}", new String(read.get(5).json(), StandardCharsets.UTF_8));
        assertEquals("{\"id\":1e2}", new String(read.get(6).json(), StandardCharsets.UTF_8));
        assertEquals("{\"id\":\"with  spaces\",\"v\":[1,2]}", new String(read.get(23).json(), StandardCharsets.UTF_8));
    }

    @Test
    void elementsLargerThanTheBufferAndManyOfThemAreReadWhole() throws IOException {
        StringBuilder array = new StringBuilder("[");
        for (int i = 0; i < 3000; i++) {
            array.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"pad\":\"")
                    .append("x".repeat(i % 7 == 0 ? 100_000 : 10)).append("\"}");
        }
        List<SourceElement> read = read(array.append("]").toString(), "id");
        assertEquals(3000, read.size());
        for (int i = 0; i < 3000; i++) {
            assertEquals(String.valueOf(i), read.get(i).key());
            assertEquals(i, MAPPER.readTree(read.get(i).json()).get("id").asInt());
        }
        assertEquals(3000, new JsonArrayElements().count(stream(array.toString())));
    }

    @Test
    void aBodyThatEndsBeforeItsArrayIsATruncatedRead() {
        assertThrows(SourceReadException.class, () -> read("[{\"id\":1},{\"id\":2", "id"));
        assertThrows(SourceReadException.class, () -> read("[{\"id\":1},", "id"));
        assertThrows(SourceReadException.class, () -> read("[{\"id\":1}", "id"));
    }

    @Test
    void whatIsNotAnArrayOrNotJsonIsTheSourcesFormat() {
        assertTrue(assertThrows(SourceFormatException.class, () -> read("{\"id\":1}", "id")).getMessage()
                .contains("a JSON object, not a JSON array"));
        assertTrue(assertThrows(SourceFormatException.class, () -> read("<html>", "id")).getMessage()
                .contains("did not answer with JSON"));
        assertThrows(SourceFormatException.class, () -> read("[{\"id\":1},{\"id\":tru}]", "id"));
        byte[] invalidUtf8 = "[{\"id\":1,\"n\":\"\u00e9\"}]".getBytes(StandardCharsets.UTF_8);
        invalidUtf8[invalidUtf8.length - 4] = (byte) 0x41;  // a lead byte without its continuation byte
        assertThrows(SourceFormatException.class, () -> drain(new ByteArrayInputStream(invalidUtf8)));
    }

    @Test
    void randomDocumentsComeOutAsJacksonWritesThemCompact() throws IOException {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            List<JsonNode> trees = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                trees.add(randomTree(random, 0));
            }
            byte[] pretty = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(trees);
            List<SourceElement> read = new ArrayList<>();
            // every other round as a network delivers it: a few bytes per read, so every token crosses a read
            InputStream answer = round % 2 == 0 ? new ByteArrayInputStream(pretty) : new Trickle(pretty, random);
            new JsonArrayElements().elements(answer, "id").forEachRemaining(read::add);
            assertEquals(trees.size(), read.size());
            for (int i = 0; i < trees.size(); i++) {
                assertEquals(new String(MAPPER.writeValueAsBytes(trees.get(i)), StandardCharsets.UTF_8),
                        new String(read.get(i).json(), StandardCharsets.UTF_8));
                JsonNode id = trees.get(i).isObject() ? trees.get(i).get("id") : null;
                assertEquals(id == null || id.isNull() ? null : id.isValueNode() ? id.asText() : id.toString(),
                        read.get(i).key(), "key of " + trees.get(i));
            }
        }
    }

    @Test
    void whatJacksonRefusesIsRefusedAndWhatItReadsIsRead() {
        String[] elements = {
            "tru", "nul", "falsy", "01", "-", "-01", "1.", ".5", "1e", "1e+", "+1", "1.5e3", "-0.0E-7", "NaN", "Infinity",
            "\"\\x\"", "\"\\u12G4\"", "\"\\u00e9\\/\\b\\f\"", "\"tab\there\"", "{\"a\" 1}", "{\"a\":1,}", "[1,]", "{1:2}",
            "[1 2]", "{\"a\":1 \"b\":2}", "'single'", "{\"a\":[}", "{\"a\":]", "[[[]]]", "{\"\":{}}", "\"\"", "[,1]",
            "\"\u00e9\u4e2d\ud83d\ude00\"", "{\"id\":1}}",
        };
        for (String element : elements) {
            byte[] array = ("[" + element + "]").getBytes(StandardCharsets.UTF_8);
            assertEquals(jacksonReads(array), scannerReads(array), element);
        }
        String deep = "[".repeat(1000) + "]".repeat(1000);
        assertEquals(jacksonReads(("[" + deep + "]").getBytes()), scannerReads(("[" + deep + "]").getBytes()), "depth 1001");
        assertEquals(jacksonReads(deep.getBytes()), scannerReads(deep.getBytes()), "depth 1000");
        for (int bad : new int[] {0x80, 0xBF, 0xC2, 0xE0, 0xF0, 0xF5, 0xFF}) {
            byte[] array = "[\"a?b\"]".getBytes(StandardCharsets.UTF_8);
            array[3] = (byte) bad;
            assertEquals(jacksonReads(array), scannerReads(array), String.format("byte 0x%02x in a string", bad));
        }
    }

    @Test
    void everyByteAtEveryPlaceOfALongStringIsReadOrRefusedAsJacksonDoes() throws IOException {
        // each of the 256 byte values at each place of a 20-byte string, also after a multi-byte character: read or
        // refused as Jackson does, and a string that is read is sent byte for byte
        for (String before : new String[] {"", "\u00e9"}) {
            for (int place = 0; place < 20; place++) {
                for (int value = 0; value < 256; value++) {
                    byte[] text = (before + "abcdefghijklmnopqrst").getBytes(StandardCharsets.UTF_8);
                    text[text.length - 20 + place] = (byte) value;
                    byte[] array = ("[\"" + new String(text, StandardCharsets.ISO_8859_1) + "\",1]")
                            .getBytes(StandardCharsets.ISO_8859_1);
                    boolean jackson = jacksonReads(array);
                    String shown = String.format("byte 0x%02x at %d after '%s'", value, place, before);
                    assertEquals(jackson, scannerReads(array), shown);
                    if (jackson) {
                        List<SourceElement> read = new ArrayList<>();
                        new JsonArrayElements().elements(new ByteArrayInputStream(array), "id").forEachRemaining(read::add);
                        assertEquals(2, read.size(), shown);
                        assertArrayEquals(Arrays.copyOfRange(array, 1, array.length - 3), read.get(0).json(), shown);
                    }
                }
            }
        }
    }

    @Test
    void mutatedArraysAreRefusedExactlyWhenJacksonRefusesThem() throws IOException {
        Random random = new Random(7);
        byte[] valid = MAPPER.writeValueAsBytes(List.of(randomTree(random, 0), randomTree(random, 0), randomTree(random, 0)));
        byte[] alphabet = "{}[]\",:.-+eE0129tfnrul \\/\u00e9x".getBytes(StandardCharsets.UTF_8);
        int refused = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] array = valid.clone();
            int at = 1 + random.nextInt(array.length - 2);
            array[at] = alphabet[random.nextInt(alphabet.length)];
            boolean jackson = jacksonReads(array);
            assertEquals(jackson, scannerReads(array), new String(array, StandardCharsets.UTF_8));
            refused += jackson ? 0 : 1;
        }
        assertTrue(refused > 300, "the mutations include malformed arrays: " + refused);
    }

    /** An answer that arrives 1 to 7 bytes per read. */
    private static final class Trickle extends InputStream {
        private final byte[] bytes;
        private final Random random;
        private int at;

        Trickle(byte[] bytes, Random random) {
            this.bytes = bytes;
            this.random = random;
        }

        @Override
        public int read() {
            return at < bytes.length ? bytes[at++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] into, int offset, int max) {
            if (at == bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(max, 1 + random.nextInt(7)), bytes.length - at);
            System.arraycopy(bytes, at, into, offset, n);
            at += n;
            return n;
        }
    }

    /** Jackson's streaming parser reads the array to its end. */
    private static boolean jacksonReads(byte[] array) {
        try (JsonParser parser = MAPPER.createParser(array)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                return false;
            }
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                parser.skipChildren();
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean scannerReads(byte[] array) {
        try {
            drain(new ByteArrayInputStream(array));
            return true;
        } catch (SourceFormatException | SourceReadException e) {
            return false;
        }
    }

    /** A random JSON value: objects (an "id" often), arrays, strings with escapes and non-ASCII, numbers, literals. */
    private static JsonNode randomTree(Random random, int depth) {
        int kind = random.nextInt(depth == 0 ? 3 : 9);
        switch (kind) {
            case 0, 1 -> {
                ObjectNode object = MAPPER.createObjectNode();
                if (depth == 0 && random.nextBoolean()) {
                    object.set("id", random.nextBoolean() ? LongNode.valueOf(random.nextLong()) : leaf(random));
                }
                for (int i = random.nextInt(depth < 3 ? 5 : 1); i > 0; i--) {
                    object.set(randomText(random), randomTree(random, depth + 1));
                }
                return object;
            }
            case 2 -> {
                ArrayNode array = MAPPER.createArrayNode();
                for (int i = random.nextInt(depth < 3 ? 4 : 1); i > 0; i--) {
                    array.add(randomTree(random, depth + 1));
                }
                return array;
            }
            default -> {
                return leaf(random);
            }
        }
    }

    private static JsonNode leaf(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> TextNode.valueOf(randomText(random));
            case 1 -> IntNode.valueOf(random.nextInt() >> random.nextInt(31));
            case 2 -> DoubleNode.valueOf(random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20));
            case 3 -> BooleanNode.valueOf(random.nextBoolean());
            case 4 -> NullNode.getInstance();
            default -> TextNode.valueOf("");
        };
    }

    private static String randomText(Random random) {
        String pieces = "ab Z09\"\\/\t\n\u0001\u00e9\u4e2d\ud83d\ude00{}[],:";
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--) {
            int at = random.nextInt(pieces.length());
            if (Character.isHighSurrogate(pieces.charAt(at))) {
                text.append(pieces, at, at + 2);
            } else if (!Character.isLowSurrogate(pieces.charAt(at))) {
                text.append(pieces.charAt(at));
            }
        }
        return text.toString();
    }

    private static List<SourceElement> read(String array, String keyField) {
        List<SourceElement> all = new ArrayList<>();
        new JsonArrayElements().elements(stream(array), keyField).forEachRemaining(all::add);
        return all;
    }

    private static void drain(InputStream in) {
        for (Iterator<SourceElement> it = new JsonArrayElements().elements(in, "id"); it.hasNext(); ) {
            it.next();
        }
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The element as the earlier reading sent it: Jackson's copy of its tokens. */
    private static String regenerated(String element) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonParser parser = MAPPER.createParser(element); JsonGenerator generator = MAPPER.getFactory().createGenerator(out)) {
            parser.nextToken();
            generator.copyCurrentStructure(parser);
        }
        return out.toString();
    }

    /** The earlier key reading (a second parse of the element), kept as the oracle. */
    private static String keyOf(String element, String keyField) {
        try {
            if (keyField.indexOf('.') < 0) {
                try (JsonParser parser = MAPPER.createParser(element)) {
                    if (parser.nextToken() != JsonToken.START_OBJECT) {
                        return null;
                    }
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String name = parser.currentName();
                        JsonToken value = parser.nextToken();
                        if (name.equals(keyField)) {
                            return value == null ? null : text(MAPPER.readTree(parser));
                        }
                        parser.skipChildren();
                    }
                    return null;
                }
            }
            return text(MAPPER.readTree(element).at("/" + keyField.replace('.', '/')));
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }
}
