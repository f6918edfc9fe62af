package dev.kafkalearn.sink;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;
import dev.kafkalearn.settings.SchemaFile;

/**
 * SINK_SCHEMA: each record checked against a JSON Schema before it is stored; one that does not match is rejected
 * with the validator's messages (its neighbours are stored). Java (networknt's validator) rather than
 * camel-json-validator, which is not on the Maven mirror at Camel 4.18.0.
 */
public final class SchemaCheck {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonSchema schema;

    private SchemaCheck(JsonSchema schema) {
        this.schema = schema;
    }

    /** The schema in this file; throws when it is missing, unreadable, not JSON or not a schema. */
    public static SchemaCheck load(Path file) throws IOException {
        return new SchemaCheck(SchemaFile.load(file));
    }

    /** Throws the validator's messages when the record does not match. */
    void check(byte[] record) throws RejectedRecord {
        JsonNode node;
        try {
            node = JSON.readTree(record == null ? new byte[0] : record);
        } catch (IOException e) {
            throw new RejectedRecord("SINK_SCHEMA: not valid JSON: " + e.getMessage());
        }
        Set<ValidationMessage> violations;
        try {
            violations = schema.validate(node);
        } catch (StackOverflowError e) {
            // a recursive schema on a record nested hundreds of levels deep: that record's failure, not the
            // pipeline's (thrown on, it held its batch for ever)
            throw new RejectedRecord("SINK_SCHEMA: too deeply nested for the schema (its validation overflowed the stack)");
        } catch (RuntimeException e) {
            throw new RejectedRecord("SINK_SCHEMA: the validator failed on the record: " + e);
        }
        if (!violations.isEmpty()) {
            throw new RejectedRecord("does not match SINK_SCHEMA: " + violations.stream()
                    .map(ValidationMessage::getMessage).collect(Collectors.joining("; ")));
        }
    }
}
