package dev.kafkalearn.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * N user records shaped like the tutorial's source (jsonplaceholder's /users: name, address, company, ...), about
 * 450 bytes each: the 10 real users repeated with ids 1..N and names, usernames and emails made unique.
 */
final class Users {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The records as compact JSON texts, in id order (id = index + 1). */
    final List<String> values;

    private Users(List<String> values) {
        this.values = values;
    }

    static Users generate(int count) throws IOException {
        return generate(1, count);
    }

    /** {@code count} users with ids first..first+count-1. */
    static Users generate(int first, int count) throws IOException {
        JsonNode template;
        try (InputStream in = Users.class.getResourceAsStream("/users.json")) {
            template = MAPPER.readTree(in);
        }
        List<String> values = new ArrayList<>(count);
        for (int i = first; i < first + count; i++) {
            values.add(user(template, i));
        }
        return new Users(values);
    }

    /** One more user with this id (for records sent after the first N, e.g. to measure latency). */
    static String user(int id) throws IOException {
        try (InputStream in = Users.class.getResourceAsStream("/users.json")) {
            return user(MAPPER.readTree(in), id);
        }
    }

    private static String user(JsonNode template, int id) throws IOException {
        ObjectNode user = template.get((id - 1) % template.size()).deepCopy();
        user.put("id", id);
        user.put("name", user.get("name").asText() + " " + id);
        user.put("username", user.get("username").asText() + id);
        user.put("email", id + "." + user.get("email").asText());
        return MAPPER.writeValueAsString(user);
    }

    /** The JSON array of all records, as the source serves it. */
    byte[] array() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(values.size() * 460 + 2);
        out.write('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.write(',');
                out.write('\n');
            }
            out.writeBytes(values.get(i).getBytes(StandardCharsets.UTF_8));
        }
        out.write(']');
        return out.toByteArray();
    }
}
