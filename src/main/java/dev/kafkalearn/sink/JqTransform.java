package dev.kafkalearn.sink;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.thisptr.jackson.jq.BuiltinFunctionLoader;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * SINK_TRANSFORM: one jq expression applied to each record before it is stored (rename, project, add or drop fields).
 * Java (jackson-jq) rather than camel-jq, which is not on the Maven mirror at Camel 4.18.0. A record the expression
 * turns into {@code null} (or nothing) is dropped; one it fails on, or turns into anything but one object, is
 * rejected with jq's message (the dead-letter topic gets the record as read).
 */
public final class JqTransform {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Scope BUILTINS = Scope.newEmptyScope();

    static {
        BuiltinFunctionLoader.getInstance().loadFunctions(Versions.JQ_1_6, BUILTINS);
    }

    private final JsonQuery query;

    private JqTransform(JsonQuery query) {
        this.query = query;
    }

    /** The compiled expression; throws jq's own message when it does not compile (Rules checks it at the start). */
    public static JqTransform compile(String expression) throws JsonQueryException {
        return new JqTransform(JsonQuery.compile(expression, Versions.JQ_1_6));
    }

    /** The record as the expression makes it, as JSON bytes; null when the expression drops it. */
    byte[] apply(byte[] record) throws RejectedRecord {
        JsonNode input;
        try {
            input = JSON.readTree(record == null ? new byte[0] : record);
        } catch (IOException e) {
            throw new RejectedRecord("SINK_TRANSFORM: not valid JSON: " + e.getMessage());
        }
        if (input == null || input.isMissingNode()) {
            throw new RejectedRecord("SINK_TRANSFORM: empty record: expected a JSON object");
        }
        List<JsonNode> out = new ArrayList<>(1);
        try {
            query.apply(Scope.newChildScope(BUILTINS), input, out::add);
        } catch (JsonQueryException e) {
            throw new RejectedRecord("SINK_TRANSFORM failed: " + e.getMessage());
        }
        if (out.isEmpty() || out.size() == 1 && out.get(0).isNull()) {
            return null;
        }
        if (out.size() > 1 || !out.get(0).isObject()) {
            throw new RejectedRecord("SINK_TRANSFORM must yield one object or null, it yielded "
                    + (out.size() > 1 ? out.size() + " values" : out.get(0).getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        try {
            return JSON.writeValueAsBytes(out.get(0));
        } catch (IOException e) {
            throw new RejectedRecord("SINK_TRANSFORM: " + e.getMessage());
        }
    }
}
