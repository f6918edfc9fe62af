package dev.kafkalearn.settings;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.SpecVersionDetector;

/** A JSON Schema file (SINK_SCHEMA), loaded once: here so the start's check and the sink load it the same way. */
public final class SchemaFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SchemaFile() {
    }

    /**
     * The schema in this file, its draft read from {@code $schema} (2020-12 when it names none); throws when the file
     * is missing, unreadable, not JSON or not a schema.
     */
    public static JsonSchema load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            JsonNode node = JSON.readTree(in);
            if (node == null || !node.isObject()) {
                throw new IOException("not a JSON Schema (a JSON object): " + file);
            }
            SpecVersion.VersionFlag draft = SpecVersionDetector.detectOptionalVersion(node, false)
                    .orElse(SpecVersion.VersionFlag.V202012);
            JsonSchema schema = JsonSchemaFactory.getInstance(draft).getSchema(node);
            schema.initializeValidators();
            return schema;
        } catch (RuntimeException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    static boolean valid(String value) {
        try {
            return value.isBlank() || load(Path.of(value.trim())) != null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
