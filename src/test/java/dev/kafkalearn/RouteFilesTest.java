package dev.kafkalearn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every route file under routes/ opens cleanly in Camel's own tooling: it validates against the YAML DSL's JSON schema
 * that ships in camel-yaml-dsl (schema/camelYamlDsl.json, what Kaoto and the editor extensions check), every
 * {{placeholder}} in it is a setting application.properties declares, and Camel's YAML loader turns it into the routes
 * and route configurations it declares. Loading only builds the route model (no route starts, no bean is looked up),
 * so no broker, database or source is needed.
 */
class RouteFilesTest {

    private static final Path ROUTES = Path.of("routes");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{[^{}]+}}");

    private static JsonSchema schema;

    @BeforeAll
    static void loadSchema() throws IOException {
        try (InputStream in = DefaultCamelContext.class.getClassLoader().getResourceAsStream("schema/camelYamlDsl.json")) {
            assertNotNull(in, "camel-yaml-dsl's schema/camelYamlDsl.json is on the test classpath");
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyRouteFileValidatesAndLoads() throws IOException {
        List<Path> files = routeFiles();
        // pipeline (source, sink, dependency check, progress), commands and the tutorial's demos: all of them found
        assertTrue(files.size() >= 10, "route files found under routes/: " + files);
        return files.stream().flatMap(file -> Stream.of(
                DynamicTest.dynamicTest(file + " validates against camelYamlDsl.json", () -> assertValid(file)),
                DynamicTest.dynamicTest(file + " uses only declared settings", () -> assertPlaceholdersResolve(file)),
                DynamicTest.dynamicTest(file + " loads into Camel", () -> assertLoads(file))));
    }

    /** What the schema check catches: a number where the schema wants text, a boolean where it wants an expression. */
    @Test
    void theSchemaRefusesWhatTheToolingWouldMarkRed() throws IOException {
        JsonNode route = YAML.readTree("""
                - routeConfiguration:
                    onException:
                      - onException:
                          exception: [java.io.IOException]
                          redeliveryPolicy: {redeliveryDelay: 1000}
                          handled: {constant: true}
                """);
        List<String> violations = violations(route);
        assertEquals(2, violations.size(), violations.toString());
        assertTrue(violations.get(0).contains("handled.constant: boolean found, string expected"), violations.toString());
        assertTrue(violations.get(1).contains("redeliveryDelay: integer found, string expected"), violations.toString());
    }

    /**
     * SOURCE_ENABLED=false leaves the source routes out (its precondition, checked when routes start): the context
     * starts with the source's file loaded and no route running, so nothing polls.
     */
    @Test
    void aDisabledSourceIsLeftOut() throws Exception {
        Properties disabled = new Properties();
        disabled.put("source.enabled", "false");
        try (DefaultCamelContext context = context(disabled)) {
            load(context, ROUTES.resolve("pipeline/source-to-kafka.camel.yaml"));
            assertEquals(List.of("source-to-kafka", "source-page", "source-group"), routeIds(context), "the routes are declared");
            context.start();
            assertEquals(List.of(), context.getRoutes(), "and left out when SOURCE_ENABLED=false");
        }
    }

    /**
     * The jar's default ROUTES names the pipeline's route files one by one (a classpath wildcard makes Camel inflate
     * the whole jar at start): the list is exactly the files of routes/pipeline/, so an added route file is not left
     * out silently.
     */
    @Test
    void theJarsRouteListIsThePipelineFolder() throws IOException {
        String line = Files.readAllLines(Path.of("application.properties")).stream()
                .filter(l -> l.startsWith("camel.main.routes-include-pattern")).findFirst().orElseThrow();
        String list = line.substring(line.indexOf("{{env:ROUTES:") + "{{env:ROUTES:".length(), line.lastIndexOf("}}"));
        java.util.Set<String> named = new java.util.TreeSet<>();
        for (String entry : list.split(",")) {
            assertTrue(entry.startsWith("classpath:routes/pipeline/"), entry);
            named.add(entry.substring("classpath:routes/pipeline/".length()));
        }
        java.util.Set<String> files = new java.util.TreeSet<>();
        try (var stream = Files.list(ROUTES.resolve("pipeline"))) {
            stream.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".camel.yaml")).forEach(files::add);
        }
        assertEquals(files, named, "ROUTES' default in application.properties vs routes/pipeline/");
    }

    private static void assertValid(Path file) throws IOException {
        List<String> violations = violations(YAML.readTree(file.toFile()));
        assertTrue(violations.isEmpty(), file + " violates camelYamlDsl.json at " + violations.size() + " places:\n  "
                + String.join("\n  ", violations));
    }

    /**
     * One line per place the schema refuses: the validator reports every branch of the schema's oneOf/anyOf it tried,
     * so only the deepest places are kept, each with its type mismatch ("boolean found, string expected") if any.
     */
    private static List<String> violations(JsonNode document) {
        Map<String, List<String>> byPlace = new TreeMap<>();
        for (ValidationMessage violation : schema.validate(document)) {
            byPlace.computeIfAbsent(violation.getInstanceLocation().toString(), place -> new ArrayList<>())
                    .add(violation.getMessage());
        }
        List<String> lines = new ArrayList<>();
        byPlace.forEach((place, messages) -> {
            boolean deeper = byPlace.keySet().stream()
                    .anyMatch(other -> other.startsWith(place + ".") || other.startsWith(place + "["));
            if (!deeper) {
                List<String> mismatches = messages.stream().filter(m -> m.contains(" found, ")).toList();
                lines.add(String.join(" | ", mismatches.isEmpty() ? messages : mismatches));
            }
        });
        return lines;
    }

    private static void assertPlaceholdersResolve(Path file) throws Exception {
        String text = Files.readString(file);
        try (DefaultCamelContext context = context(new Properties())) {
            Matcher placeholder = PLACEHOLDER.matcher(text);
            List<String> unknown = new ArrayList<>();
            while (placeholder.find()) {
                try {
                    context.resolvePropertyPlaceholders(placeholder.group());
                } catch (IllegalArgumentException e) {
                    unknown.add(placeholder.group());
                }
            }
            assertTrue(unknown.isEmpty(), file + " uses settings application.properties does not declare: " + unknown);
        }
    }

    private static void assertLoads(Path file) throws Exception {
        JsonNode declared = YAML.readTree(file.toFile());
        List<String> routes = new ArrayList<>();
        List<String> configurations = new ArrayList<>();
        declared.forEach(entry -> {
            if (entry.has("route")) {
                routes.add(entry.get("route").get("id").asText());
            } else if (entry.has("routeConfiguration")) {
                configurations.add(entry.get("routeConfiguration").get("id").asText());
            }
        });
        assertFalse(routes.isEmpty() && configurations.isEmpty(), file + " declares a route or a route configuration");
        try (DefaultCamelContext context = context(new Properties())) {
            load(context, file);
            assertEquals(new TreeSet<>(routes), new TreeSet<>(routeIds(context)), file + ": the routes Camel built");
            assertEquals(new TreeSet<>(configurations), new TreeSet<>(context.getCamelContextExtension()
                    .getContextPlugin(Model.class).getRouteConfigurationDefinitions().stream()
                    .map(RouteConfigurationDefinition::getId).toList()), file + ": the route configurations Camel built");
        }
    }

    /** A context that knows the project's settings (application.properties) and is never started. */
    private static DefaultCamelContext context(Properties overrides) {
        DefaultCamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setLocation("file:application.properties");
        context.getPropertiesComponent().setOverrideProperties(overrides);
        return context;
    }

    private static void load(DefaultCamelContext context, Path file) throws Exception {
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.resolveResource(context, "file:" + file));
    }

    private static List<String> routeIds(DefaultCamelContext context) {
        return context.getCamelContextExtension().getContextPlugin(Model.class).getRouteDefinitions().stream()
                .map(RouteDefinition::getId).toList();
    }

    private static List<Path> routeFiles() throws IOException {
        try (Stream<Path> files = Files.walk(ROUTES)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }
}
