package dev.kafkalearn;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.kafkalearn.settings.EffectiveConfiguration;
import dev.kafkalearn.settings.InvalidSetting;
import dev.kafkalearn.settings.Rules;
import dev.kafkalearn.settings.Setting;
import dev.kafkalearn.settings.SettingsCheck;
import dev.kafkalearn.settings.SettingsFile;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * application.properties is the one list of settings: each one has a comment, a rule (or an explicit free-text mark)
 * in the one table, and a line in the start-up configuration block; a bad value is refused naming its variable.
 */
class SettingsRulesTest {

    private static final Path FILE = Path.of("application.properties");

    private static List<Setting> settings() throws Exception {
        try (Reader file = Files.newBufferedReader(FILE)) {
            return SettingsFile.parse(file);
        }
    }

    @Test
    void everySettingHasACommentAndARuleAndEveryRuleASetting() throws Exception {
        List<Setting> settings = settings();
        assertTrue(settings.size() > 40, settings.size() + " settings: the file was read");
        for (Setting setting : settings) {
            assertFalse(setting.description().isBlank(), setting.property() + " has no comment above it");
            assertTrue(Rules.TABLE.containsKey(setting.variable()),
                    setting.variable() + " has neither a rule nor a free-text mark in settings.Rules");
        }
        List<String> variables = settings.stream().map(Setting::variable).toList();
        assertEquals(variables.stream().distinct().count(), variables.size(), "each variable declared once");
        Rules.TABLE.keySet().forEach(v -> assertTrue(variables.contains(v), v + " has a rule but no setting"));
    }

    @Test
    void theConfigurationBlockListsEverySettingWithSecretsMasked() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setLocation("file:" + FILE);
            context.getPropertiesComponent().addOverrideProperty("kafka.sasl-password", "Pa55word");
            context.getPropertiesComponent().addOverrideProperty("mongo.uri", "mongodb://app:Pa55word@db:27017/?tls=true");
            EffectiveConfiguration configuration = new EffectiveConfiguration();
            configuration.setCamelContext(context);
            String block = configuration.block();
            for (Setting setting : settings()) {
                assertTrue(block.contains("\n  " + setting.variable() + " "), setting.variable() + " missing:\n" + block);
            }
            assertFalse(block.contains("Pa55word"), block);
            assertTrue(block.matches("(?s).*\\n  KAFKA_SASL_PASSWORD +\\*\\*\\*\\*\\n.*"), block);
            assertTrue(block.matches("(?s).*\\n  KAFKA_SSL_TRUSTSTORE_PASSWORD +\\(not set\\)\\n.*"), block);
            assertTrue(block.contains("mongodb://app:****@db:27017/?tls=true"), block);
            assertTrue(block.matches("(?s).*\\n  SOURCE_PAGE_SIZE +100\\n.*"), block);
        }
    }

    @Test
    void theDefaultsPassTheirRules() throws Exception {
        assertEquals(Optional.empty(), SettingsCheck.firstProblem(settings(), defaults()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "SOURCE_PAGINATION       | pages  | Invalid setting SOURCE_PAGINATION='pages': expected one of none, page, link",
            "SOURCE_CHANGE_DETECTION | maybe  | Invalid setting SOURCE_CHANGE_DETECTION='maybe': expected one of auto, on, off, true, false",
            "SOURCE_PAGE_SIZE        | 0      | Invalid setting SOURCE_PAGE_SIZE='0': expected a whole number, 1 or more",
            "SOURCE_BATCH_SIZE       | 0      | Invalid setting SOURCE_BATCH_SIZE='0': expected a whole number, 1 or more",
            "MONGO_BATCH_SIZE        | ten    | Invalid setting MONGO_BATCH_SIZE='ten': expected a whole number, 1 or more",
            "MANAGEMENT_PORT         | 70000  | Invalid setting MANAGEMENT_PORT='70000': expected a port from 0 to 65535",
            "SOURCE_ENABLED          | yes    | Invalid setting SOURCE_ENABLED='yes': expected one of true, false",
            "KAFKA_BROKERS           | kafka  | Invalid setting KAFKA_BROKERS='kafka': expected host:port[,host:port...]",
            "METRICS_KAFKA_CLIENT_REFRESH_SECONDS | -1 | Invalid setting METRICS_KAFKA_CLIENT_REFRESH_SECONDS='-1': expected a whole number, 1 or more",
            "SINK_TRANSFORM          | '{a: }' | Invalid setting SINK_TRANSFORM='{a: }': expected a jq expression that compiles, or empty",
            "SINK_SCHEMA             | /no/such/schema.json | Invalid setting SINK_SCHEMA='/no/such/schema.json': expected a readable JSON Schema file, or empty",
            "MONGO_URI | mongodb://app:s3cret@db:x/ | Invalid setting MONGO_URI='mongodb://app:****@db:x/': expected a MongoDB connection string, mongodb://host[:port][/?options]",
    })
    void aBadValueIsRefusedNamingItsVariable(String variable, String value, String message) throws Exception {
        Map<String, String> values = defaults();
        values.put(variable, value);
        Optional<InvalidSetting> problem = SettingsCheck.firstProblem(settings(), values);
        assertEquals(message, problem.map(InvalidSetting::getMessage).orElse("accepted"));
    }

    @Test
    void saslSettingsAreNeededOnlyWithSasl() throws Exception {
        Map<String, String> values = defaults();
        values.put("KAFKA_SASL_MECHANISM", "GSSAPI");
        assertEquals(Optional.empty(), SettingsCheck.firstProblem(settings(), values), "PLAINTEXT: no SASL settings used");
        values.put("KAFKA_SECURITY_PROTOCOL", "sasl_ssl");
        values.put("KAFKA_SASL_MECHANISM", "PLAIN");
        assertEquals("Invalid setting KAFKA_SASL_USERNAME='': expected a user name (KAFKA_SECURITY_PROTOCOL is SASL_*)",
                SettingsCheck.firstProblem(settings(), values).map(InvalidSetting::getMessage).orElse("accepted"));
        values.put("KAFKA_SASL_USERNAME", "pipeline");
        values.put("KAFKA_SASL_PASSWORD", "");
        assertEquals("Invalid setting KAFKA_SASL_PASSWORD='': expected a password (KAFKA_SECURITY_PROTOCOL is SASL_*)",
                SettingsCheck.firstProblem(settings(), values).map(InvalidSetting::getMessage).orElse("accepted"));
        values.put("KAFKA_SASL_PASSWORD", "s3cret");
        values.put("KAFKA_SSL_TRUSTSTORE_LOCATION", "/nowhere/truststore.p12");
        assertEquals("Invalid setting KAFKA_SSL_TRUSTSTORE_LOCATION='/nowhere/truststore.p12': expected a readable "
                + "truststore file (TLS is on)",
                SettingsCheck.firstProblem(settings(), values).map(InvalidSetting::getMessage).orElse("accepted"));
    }

    /** Every variable at its default in application.properties (as the pipeline runs with no variable set). */
    private static Map<String, String> defaults() throws Exception {
        Map<String, String> values = new LinkedHashMap<>();
        for (Setting setting : settings()) {
            values.put(setting.variable(), setting.defaultValue() == null ? "" : setting.defaultValue());
        }
        return new HashMap<>(values);
    }
}
