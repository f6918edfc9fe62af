package dev.kafkalearn.settings;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.support.ResourceHelper;

/**
 * The settings, read from application.properties itself: every line {@code property = {{env:VARIABLE:default}}},
 * described by the comment lines right above it. The file the pipeline runs with is the one read: the jar's (on the
 * classpath), or the one {@code camel run} was given (the properties component's location).
 */
public final class SettingsFile {

    private static final String ENV = "{{env:";

    private SettingsFile() {
    }

    /** The settings of the application.properties the context was configured from. */
    public static List<Setting> of(CamelContext context) {
        String location = context.getPropertiesComponent().getLocations().stream()
                .map(l -> l.replace(";optional=true", ""))
                .filter(l -> l.endsWith("application.properties"))
                .findFirst().orElse("classpath:application.properties");
        try (InputStream in = ResourceHelper.resolveMandatoryResourceAsInputStream(context, location)) {
            return parse(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + location, e);
        }
    }

    public static List<Setting> parse(Reader file) throws IOException {
        List<Setting> settings = new ArrayList<>();
        List<String> comment = new ArrayList<>();
        String line;
        BufferedReader lines = new BufferedReader(file);
        while ((line = lines.readLine()) != null) {
            String text = line.trim();
            if (text.startsWith("#")) {
                String words = text.substring(1).trim();
                if (!words.startsWith("---")) { // a section's title describes the section, not the setting below it
                    comment.add(words);
                }
                continue;
            }
            int equals = text.indexOf('=');
            String value = equals < 0 ? "" : text.substring(equals + 1).trim();
            if (value.startsWith(ENV) && value.endsWith("}}")) {
                String inner = value.substring(ENV.length(), value.length() - 2);
                int colon = inner.indexOf(':');
                settings.add(new Setting(text.substring(0, equals).trim(),
                        colon < 0 ? inner : inner.substring(0, colon), colon < 0 ? null : inner.substring(colon + 1),
                        String.join(" ", comment)));
            }
            comment.clear();
        }
        return settings;
    }
}
