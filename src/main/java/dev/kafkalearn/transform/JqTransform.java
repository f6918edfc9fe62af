package dev.kafkalearn.transform;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.thisptr.jackson.jq.BuiltinFunctionLoader;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * SOURCE_TRANSFORM / SINK_TRANSFORM: one jq expression applied to each record (rename, project, add or drop fields).
 * Java (jackson-jq) rather than camel-jq, which is not on the Maven mirror at Camel 4.18.0; here, apart from the
 * source and the sink, because both use it and the settings' rule compiles it. A record the expression turns into
 * {@code null} (or nothing) is dropped; one it fails on, or turns into anything but one object, is {@link Failed}
 * with jq's message.
 */
public final class JqTransform {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** jq's built-in functions, loaded (parsed from jq's own definitions) only once an expression is set. */
    private static final class Builtins {
        static final Scope SCOPE = Scope.newEmptyScope();

        static {
            BuiltinFunctionLoader.getInstance().loadFunctions(Versions.JQ_1_6, SCOPE);
        }
    }

    /** The record could not be transformed: the message says why (jq's own words when jq failed). */
    public static final class Failed extends Exception {
        Failed(String reason) {
            super(reason, null, false, false);
        }
    }

    private final String setting;
    private final JsonQuery query;
    /** jq's built-ins, loaded with the expression (at the start), not by the first record. */
    private final Scope builtins;

    private JqTransform(String setting, JsonQuery query) {
        this.setting = setting;
        this.query = query;
        this.builtins = Builtins.SCOPE;
    }

    /**
     * The compiled expression, or null when it is empty (no transform: no work per record); throws jq's own message
     * when it does not compile (the settings' rule checks it at the start). {@code setting} names it in messages.
     */
    public static JqTransform compile(String setting, String expression) throws JsonQueryException {
        String trimmed = expression == null ? "" : expression.trim();
        return trimmed.isEmpty() ? null : new JqTransform(setting, JsonQuery.compile(trimmed, Versions.JQ_1_6));
    }

    /** The setting the expression came from (SOURCE_TRANSFORM, SINK_TRANSFORM): messages name it. */
    public String setting() {
        return setting;
    }

    /** The record as the expression makes it, as JSON bytes; null when the expression drops it. */
    public byte[] apply(byte[] record) throws Failed {
        JsonNode input;
        try {
            input = JSON.readTree(record == null ? new byte[0] : record);
        } catch (IOException e) {
            throw new Failed(setting + ": not valid JSON: " + e.getMessage());
        }
        if (input == null || input.isMissingNode()) {
            throw new Failed(setting + ": empty record: expected a JSON object");
        }
        List<JsonNode> out = new ArrayList<>(1);
        try {
            query.apply(Scope.newChildScope(builtins), input, out::add);
        } catch (JsonQueryException e) {
            throw new Failed(setting + " failed: " + e.getMessage());
        } catch (StackOverflowError e) {
            // a recursive expression (walk, recurse, ..) on a record nested hundreds of levels deep: that record's
            // failure, not the pipeline's (thrown on, it held its batch for ever)
            throw new Failed(setting + ": too deeply nested for the expression (its evaluation overflowed the stack)");
        } catch (OutOfMemoryError e) {
            // a value larger than the heap ([range(.n)] with a huge n): what it built is garbage once thrown
            throw new Failed(setting + ": its result on this record does not fit in memory");
        } catch (RuntimeException e) {
            throw new Failed(setting + " failed: " + e);
        }
        if (out.isEmpty() || out.size() == 1 && out.get(0).isNull()) {
            return null;
        }
        if (out.size() > 1 || !out.get(0).isObject()) {
            throw new Failed(setting + " must yield one object or null, it yielded "
                    + (out.size() > 1 ? out.size() + " values" : out.get(0).getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        try {
            return JSON.writeValueAsBytes(out.get(0));
        } catch (IOException e) {
            throw new Failed(setting + ": " + e.getMessage());
        } catch (StackOverflowError e) {
            throw new Failed(setting + ": too deeply nested for the expression (its result overflowed the stack)");
        }
    }
}
