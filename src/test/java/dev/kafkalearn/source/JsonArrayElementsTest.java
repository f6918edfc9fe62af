package dev.kafkalearn.source;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kafkalearn.source.JsonArrayElements.SourceFormatException;
import dev.kafkalearn.source.JsonArrayElements.SourceReadException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one-pass reading of the source's array: each element's bytes and key, and what a broken answer is. */
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
